import HTTPCore
package import HTTPTypes
package import Sockets
import Synchronization
package import Timekeeping

/// A small HTTP/1.1 client for one endpoint (the Lambda Runtime API, a DynamoDB endpoint) with one
/// kept-alive connection, deadlines on every step, bodies by length or chunked both ways, and
/// trailers on chunked requests. It frames and parses with `HTTPCore`'s codec, the one the server
/// uses. It serves one request at a time: the runtime's loop and a store call are sequential, and a
/// second request while one is open is refused (`busy`), not interleaved on the wire.
package final class HTTPClient: Sendable {
    /// What to connect to and how long to wait for it.
    package struct Configuration: Sendable {
        package var host: String
        package var port: UInt16
        /// Sent as `Host` (the host, and the port when it is not the scheme's default).
        package var authority: String
        package var connectTimeout: Duration
        /// The largest response body accepted; a larger one is `responseTooLarge`.
        package var maxResponseBodyBytes: Int
        /// Makes the transport for a new connection: plain TCP unless told otherwise (TLS wraps it).
        package var makeTransport: @Sendable (SocketAddress, String, MonotonicTime) throws(HTTPClientError) -> any ClientTransport

        package init(host: String, port: UInt16, connectTimeout: Duration = .seconds(2), maxResponseBodyBytes: Int = 16 << 20) {
            self.host = host
            self.port = port
            self.authority = Self.authority(host: host, port: port, defaultPort: 80)
            self.connectTimeout = connectTimeout
            self.maxResponseBodyBytes = maxResponseBodyBytes
            self.makeTransport = { address, endpoint, deadline throws(HTTPClientError) in
                try TCPTransport(address: address, endpoint: endpoint, deadline: deadline)
            }
        }

        /// HTTPS to `host`: TLS with the peer verified for `host` against the system's trust store,
        /// or only the CAs in `caBundle` when given (`AWS_CA_BUNDLE`). The TLS context is made on
        /// the first connection, so a client made at start costs nothing until it is used.
        package static func https(host: String, port: UInt16 = 443, caBundle: String? = nil, connectTimeout: Duration = .seconds(2)) -> Configuration {
            var configuration = Configuration(host: host, port: port, connectTimeout: connectTimeout)
            configuration.authority = Self.authority(host: host, port: port, defaultPort: 443)
            let shared = Mutex<TLSContext?>(nil)
            configuration.makeTransport = { address, endpoint, deadline throws(HTTPClientError) in
                let context = try shared.withLock { context throws(HTTPClientError) -> TLSContext in
                    if let context { return context }
                    let made = try TLSContext(caBundle: caBundle)
                    context = made
                    return made
                }
                return try TLSTransport(address: address, host: host, endpoint: endpoint, context: context, deadline: deadline)
            }
            return configuration
        }

        /// The `Host` value for `host` and `port` (RFC 9110 §7.2): an IPv6 address in brackets,
        /// the port left out when it is the scheme's `defaultPort`.
        package static func authority(host: String, port: UInt16, defaultPort: UInt16) -> String {
            let name = host.contains(":") ? "[\(host)]" : host
            return port == defaultPort ? name : "\(name):\(port)"
        }

        /// `host:port`, as `AWS_LAMBDA_RUNTIME_API` gives it (`127.0.0.1:9001`, `[::1]:9001`).
        package init?(endpoint: String) {
            guard let colon = endpoint.lastIndex(of: ":"), let port = UInt16(endpoint[endpoint.index(after: colon)...]) else { return nil }
            var host = String(endpoint[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { return nil }
            self.init(host: host, port: port)
            authority = endpoint
        }
    }

    package let configuration: Configuration
    /// The connection and the resolved address, touched by the one request in flight.
    private let state: Mutex<ConnectionState>
    private let busy = Atomic<Bool>(false)

    package init(configuration: Configuration) {
        self.configuration = configuration
        self.state = Mutex(ConnectionState())
    }

    /// Sends `request` with `body` and reads the whole response, by `deadline`.
    /// A kept-alive connection the server closed just as it was reused fails at once; an
    /// idempotent request is then sent once more on a new connection (RFC 9112 §9.3.1), any other
    /// fails, since the server may have acted on it.
    package func send(_ request: HTTPRequest, body: [UInt8] = [], deadline: MonotonicTime) throws(HTTPClientError) -> ClientResponse {
        var out: [UInt8] = []
        out.reserveCapacity(256 + body.count)
        HTTP1RequestSerializer.writeHead(method: request.method, path: request.path ?? "/", host: configuration.authority,
                                         fields: request.headerFields, framing: .length(body.count), into: &out)
        out.append(contentsOf: body)
        var attempt = 0
        while true {
            attempt += 1
            var reused = false
            do {
                return try exclusive { connection throws(HTTPClientError) in
                    reused = connection.served > 0
                    try connection.write(out, deadline: deadline)
                    return try connection.readResponse(method: request.method, deadline: deadline)
                }
            } catch {
                let idempotent = request.method == .get || request.method == .head || request.method == .put || request.method == .delete || request.method == .options
                guard attempt == 1, reused, idempotent, case .connectionClosed = error else { throw error }
            }
        }
    }

    /// Starts a chunked request whose body is written piece by piece (a streamed Lambda
    /// response); `trailerNames` are announced in `Trailer`. The client is busy until `finish`.
    package func startStreaming(_ request: HTTPRequest, trailerNames: [String] = [], deadline: MonotonicTime) throws(HTTPClientError) -> StreamingRequest {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { throw .busy }
        do {
            let connection = try state.withLock { state throws(HTTPClientError) in try state.connection(for: configuration) }
            var head: [UInt8] = []
            HTTP1RequestSerializer.writeHead(method: request.method, path: request.path ?? "/", host: configuration.authority,
                                             fields: request.headerFields, framing: .chunked, trailerNames: trailerNames, into: &head)
            try connection.write(head, deadline: deadline)
            return StreamingRequest(client: self, connection: connection, method: request.method)
        } catch {
            dropConnection()
            busy.store(false, ordering: .releasing)
            throw error
        }
    }

    /// Closes the kept-alive connection, if any; the next request opens a new one.
    package func close() {
        dropConnection()
    }

    /// Called by `StreamingRequest` when it is done, with whether its connection may be reused.
    func streamingFinished(keepConnection: Bool) {
        if !keepConnection { dropConnection() }
        busy.store(false, ordering: .releasing)
    }

    private func dropConnection() {
        state.withLock { $0.drop() }
    }

    private func exclusive<R>(_ body: (ClientConnection) throws(HTTPClientError) -> R) throws(HTTPClientError) -> R {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { throw .busy }
        defer { busy.store(false, ordering: .releasing) }
        let connection = try state.withLock { state throws(HTTPClientError) in try state.connection(for: configuration) }
        do {
            let result = try body(connection)
            if !connection.reusable { dropConnection() }
            return result
        } catch {
            dropConnection()
            throw error
        }
    }
}

/// The client's kept-alive connection and the address it resolved once.
struct ConnectionState: ~Copyable {
    var address: SocketAddress?
    var connection: ClientConnection?

    mutating func connection(for configuration: HTTPClient.Configuration) throws(HTTPClientError) -> ClientConnection {
        let endpoint = configuration.authority
        if let connection, connection.reusable, !connection.transport.isStale { return connection }
        drop()
        let address: SocketAddress
        if let known = self.address {
            address = known
        } else {
            do {
                address = try SocketAddress(host: configuration.host, port: configuration.port)
            } catch {
                throw .cannotResolve(host: configuration.host, error)
            }
            self.address = address
        }
        let deadline = MonotonicTime.now().advanced(by: configuration.connectTimeout)
        let transport = try configuration.makeTransport(address, endpoint, deadline)
        let opened = ClientConnection(transport: transport, endpoint: endpoint, maxBodyBytes: configuration.maxResponseBodyBytes)
        connection = opened
        return opened
    }

    mutating func drop() {
        connection?.transport.close()
        connection = nil
    }
}
