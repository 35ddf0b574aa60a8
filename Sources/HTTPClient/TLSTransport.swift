import COpenSSL
import Glibc
package import Sockets
package import Timekeeping

/// TLS over a TCP connection, under the same three calls as plain TCP: the handshake, reads and
/// writes on a non-blocking socket, each waited on with `poll` against its deadline. The peer must
/// present a chain the context trusts for `host` (SNI sent, the name checked by OpenSSL against the
/// certificate's subjectAltName, RFC 6125); anything else is refused before a byte of HTTP is sent.
package final class TLSTransport: ClientTransport {
    private let tcp: TCPTransport
    private let ssl: OpaquePointer
    private let socket: Socket
    private let endpoint: String
    private var closed = false

    package convenience init(address: SocketAddress, host: String, endpoint: String, context: TLSContext, deadline: MonotonicTime) throws(HTTPClientError) {
        try self.init(over: try TCPTransport(address: address, endpoint: endpoint, deadline: deadline), host: host, endpoint: endpoint,
                      context: context, deadline: deadline)
    }

    /// TLS started on a TCP connection that already carried plain bytes: PostgreSQL's
    /// `SSLRequest` asks in the clear whether the server speaks TLS before the handshake.
    package init(over tcp: TCPTransport, host: String, endpoint: String, context: TLSContext, deadline: MonotonicTime) throws(HTTPClientError) {
        self.tcp = tcp
        socket = tcp.socket
        self.endpoint = endpoint
        guard let ssl = SSL_new(context.context) else { throw .tls("cannot create a TLS session: \(TLSContext.lastError())") }
        self.ssl = ssl
        SSL_set_fd(ssl, socket.fd)
        _ = swiftlet_SSL_set_tlsext_host_name(ssl, host)
        if !context.verifiesPeer {
            // No name to check: sslmode=require.
        } else if Self.isIPAddress(host) {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
        } else {
            SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
            guard SSL_set1_host(ssl, host) == 1 else { throw .tls("cannot set the host name to verify: \(TLSContext.lastError())") }
        }
        try handshake(host: host, deadline: deadline)
    }

    deinit {
        close()
        SSL_free(ssl)
    }

    /// An IP literal is checked against the certificate's IP addresses, a name against its names.
    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    private func handshake(host: String, deadline: MonotonicTime) throws(HTTPClientError) {
        while true {
            ERR_clear_error()
            let result = SSL_connect(ssl)
            if result == 1 { return }
            let reason = SSL_get_error(ssl, result)
            switch reason {
            case SSL_ERROR_WANT_READ:
                guard socket.poll(events: Int16(POLLIN), timeoutMilliseconds: deadline.pollTimeout) else { throw .timedOut(.connect, endpoint: endpoint) }
            case SSL_ERROR_WANT_WRITE:
                guard socket.poll(events: Int16(POLLOUT), timeoutMilliseconds: deadline.pollTimeout) else { throw .timedOut(.connect, endpoint: endpoint) }
            default:
                let verify = SSL_get_verify_result(ssl)
                if verify != X509_V_OK {
                    let text = String(cString: X509_verify_cert_error_string(verify))
                    throw .certificateRejected(endpoint: endpoint, reason: "\(text) (for \(host))")
                }
                throw .tls("TLS handshake with \(endpoint) failed: \(TLSContext.lastError())")
            }
        }
    }

    package func write(_ bytes: UnsafeRawBufferPointer, deadline: MonotonicTime) throws(HTTPClientError) {
        var offset = 0
        while offset < bytes.count {
            ERR_clear_error()
            let count = Int32(min(bytes.count - offset, Int(Int32.max)))
            let written = SSL_write(ssl, bytes.baseAddress! + offset, count)
            if written > 0 {
                offset += Int(written)
                continue
            }
            try wait(after: written, deadline: deadline, phase: .write)
        }
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer, deadline: MonotonicTime) throws(HTTPClientError) -> Int {
        while true {
            ERR_clear_error()
            let count = SSL_read(ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max))))
            if count > 0 { return Int(count) }
            if SSL_get_error(ssl, count) == SSL_ERROR_ZERO_RETURN { return 0 }
            if SSL_get_error(ssl, count) == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 { return 0 } // closed without close_notify
            try wait(after: count, deadline: deadline, phase: .read)
        }
    }

    /// Waits for what OpenSSL asked for, or throws what it reported.
    private func wait(after result: Int32, deadline: MonotonicTime, phase: HTTPClientError.Phase) throws(HTTPClientError) {
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ:
            guard socket.poll(events: Int16(POLLIN), timeoutMilliseconds: deadline.pollTimeout) else { throw .timedOut(phase, endpoint: endpoint) }
        case SSL_ERROR_WANT_WRITE:
            guard socket.poll(events: Int16(POLLOUT), timeoutMilliseconds: deadline.pollTimeout) else { throw .timedOut(phase, endpoint: endpoint) }
        default:
            throw .tls("TLS \(phase.rawValue) with \(endpoint) failed: \(TLSContext.lastError())")
        }
    }

    package var isStale: Bool {
        // Buffered TLS records (a session ticket) are not a stale connection; bytes on the socket
        // after them, or its end, are.
        if SSL_pending(ssl) > 0 { return true }
        return tcp.isStale
    }

    package func close() {
        guard !closed else { return }
        closed = true
        tcp.close()
    }
}
