import CLinux
import Glibc

/// A non-blocking TCP socket: a file descriptor and the few calls the servers and clients make on it.
/// It is a plain value; whoever opens one closes it exactly once with `close()`.
package struct Socket: Sendable, Hashable {
    /// The file descriptor.
    package let fd: Int32

    package init(fd: Int32) {
        self.fd = fd
    }

    /// The outcome of a read on a non-blocking socket.
    package enum ReadResult: Equatable, Sendable {
        case bytes(Int)
        case wouldBlock
        case endOfFile
    }

    /// Opens a non-blocking, close-on-exec stream socket for `address`'s family.
    package static func tcp(for address: SocketAddress) throws(SocketError) -> Socket {
        let fd = Glibc.socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .last("socket") }
        return Socket(fd: fd)
    }

    /// Opens a socket, binds it to `address` and listens. `SO_REUSEADDR` lets a restarted server bind
    /// at once; `SO_REUSEPORT` is deliberately not set, so a second server on the same port fails
    /// loudly instead of silently taking half the connections.
    package static func listening(on address: SocketAddress, backlog: Int32 = 1024) throws(SocketError) -> Socket {
        let socket = try tcp(for: address)
        do throws(SocketError) {
            try socket.setOption(SOL_SOCKET, SO_REUSEADDR, 1, name: "SO_REUSEADDR")
            if case .ipv6 = address {
                try socket.setOption(Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1, name: "IPV6_V6ONLY")
            }
            let status = address.withSockAddr { Glibc.bind(socket.fd, $0, $1) }
            guard status == 0 else { throw SocketError.last("bind", detail: address.description) }
            guard Glibc.listen(socket.fd, backlog) == 0 else { throw SocketError.last("listen") }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// Connects to `address`, waiting at most `timeoutMilliseconds`; the socket stays non-blocking.
    package static func connect(to address: SocketAddress, timeoutMilliseconds: Int32) throws(SocketError) -> Socket {
        let socket = try tcp(for: address)
        let status = address.withSockAddr { Glibc.connect(socket.fd, $0, $1) }
        if status != 0 {
            let code = clinux_errno()
            guard code == EINPROGRESS else {
                socket.close()
                throw SocketError(call: "connect", errno: code, detail: address.description)
            }
            guard socket.poll(events: Int16(POLLOUT), timeoutMilliseconds: timeoutMilliseconds) else {
                socket.close()
                throw SocketError(call: "connect", errno: ETIMEDOUT, detail: address.description)
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(socket.fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else {
                socket.close()
                throw SocketError(call: "connect", errno: error, detail: address.description)
            }
        }
        return socket
    }

    /// Sets an integer socket option.
    package func setOption(_ level: Int32, _ option: Int32, _ value: Int32, name: String) throws(SocketError) {
        var value = value
        guard setsockopt(fd, level, option, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw .last("setsockopt", detail: name)
        }
    }

    /// Turns off Nagle's algorithm: responses go out as soon as they are written.
    package func setNoDelay() {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Accepts one pending connection as a non-blocking socket; `nil` when none is pending.
    package func accept() throws(SocketError) -> (Socket, SocketAddress?)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let client = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                clinux_accept4(fd, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            }
        }
        guard client >= 0 else {
            let code = clinux_errno()
            switch code {
            case EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED, EPROTO: return nil
            default: throw SocketError(call: "accept4", errno: code)
            }
        }
        let peer = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress(sockaddr: $0) }
        }
        return (Socket(fd: client), peer)
    }

    /// Reads at most `count` bytes into `buffer`.
    package func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(SocketError) -> ReadResult {
        while true {
            let n = Glibc.read(fd, buffer, count)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .endOfFile }
            let code = clinux_errno()
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            throw SocketError(call: "read", errno: code)
        }
    }

    /// Writes what the kernel takes now; returns the number of bytes written (0 when it would block).
    package func write(_ buffer: UnsafeRawBufferPointer) throws(SocketError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.send(fd, base, buffer.count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return n }
            let code = clinux_errno()
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return 0 }
            throw SocketError(call: "send", errno: code)
        }
    }

    /// Sends `count` bytes of the file `fileFD` from `offset` with `sendfile(2)`, without copying them
    /// through user space; returns the bytes sent (0 when it would block) and advances `offset`.
    package func sendFile(_ fileFD: Int32, offset: inout Int, count: Int) throws(SocketError) -> Int {
        var off = off_t(offset)
        while true {
            let n = Glibc.sendfile(fd, fileFD, &off, count)
            if n >= 0 {
                offset = Int(off)
                return n
            }
            let code = clinux_errno()
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return 0 }
            throw SocketError(call: "sendfile", errno: code)
        }
    }

    /// Waits until the socket is ready for `events` (`POLLIN`, `POLLOUT`), at most `timeoutMilliseconds`.
    package func poll(events: Int16, timeoutMilliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let n = Glibc.poll(&entry, 1, timeoutMilliseconds)
            if n < 0 && clinux_errno() == EINTR { continue }
            return n > 0
        }
    }

    /// The address the socket is bound to (the real port after binding port 0).
    package func localAddress() throws(SocketError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard status == 0 else { throw .last("getsockname") }
        let address = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress(sockaddr: $0) }
        }
        guard let address else { throw SocketError(call: "getsockname", errno: EAFNOSUPPORT) }
        return address
    }

    /// Half-closes the writing side, so the peer reads end-of-file after what was sent.
    package func shutdownWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// Closes the descriptor.
    package func close() {
        _ = Glibc.close(fd)
    }
}
