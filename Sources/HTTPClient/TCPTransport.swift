import Glibc
package import Sockets
package import Timekeeping

/// A non-blocking TCP connection waited on with `poll` against each call's deadline. The client is
/// used by one caller at a time (the Lambda loop, a store call), so blocking that caller until the
/// deadline is what it wants, and costs no event loop thread at cold start.
package final class TCPTransport: ClientTransport {
    let socket: Socket
    private let endpoint: String
    private var closed = false

    /// Connects to `address` by `deadline`.
    package init(address: SocketAddress, endpoint: String, deadline: MonotonicTime) throws(HTTPClientError) {
        self.endpoint = endpoint
        let timeout = deadline.pollTimeout
        do {
            socket = try Socket.connect(to: address, timeoutMilliseconds: timeout)
        } catch {
            if error.errno == ETIMEDOUT { throw .timedOut(.connect, endpoint: endpoint) }
            throw .cannotConnect(endpoint: endpoint, error)
        }
        socket.setNoDelay()
    }

    deinit {
        close()
    }

    package func write(_ bytes: UnsafeRawBufferPointer, deadline: MonotonicTime) throws(HTTPClientError) {
        var offset = 0
        while offset < bytes.count {
            let written: Int
            do {
                written = try socket.write(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            } catch {
                throw .io(error, endpoint: endpoint)
            }
            offset += written
            if written == 0 && !socket.poll(events: Int16(POLLOUT), timeoutMilliseconds: deadline.pollTimeout) {
                throw .timedOut(.write, endpoint: endpoint)
            }
        }
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer, deadline: MonotonicTime) throws(HTTPClientError) -> Int {
        while true {
            let result: Socket.ReadResult
            do {
                result = try socket.read(into: buffer.baseAddress!, count: buffer.count)
            } catch {
                throw .io(error, endpoint: endpoint)
            }
            switch result {
            case .bytes(let count): return count
            case .endOfFile: return 0
            case .wouldBlock:
                if !socket.poll(events: Int16(POLLIN), timeoutMilliseconds: deadline.pollTimeout) {
                    throw .timedOut(.read, endpoint: endpoint)
                }
            }
        }
    }

    package var isStale: Bool {
        // Readable while idle means end-of-file, a reset, or bytes nobody asked for.
        socket.poll(events: Int16(POLLIN), timeoutMilliseconds: 0)
    }

    package func close() {
        guard !closed else { return }
        closed = true
        socket.close()
    }
}
