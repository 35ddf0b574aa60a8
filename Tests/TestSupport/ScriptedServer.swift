import Glibc
internal import Sockets
import Synchronization
import Threads

/// A server on 127.0.0.1 port 0 that answers each request with whatever bytes a test scripts,
/// one thread per connection, so a client can be shown every framing, a close, or silence.
package final class ScriptedServer: @unchecked Sendable {
    package enum Reply: Sendable {
        /// Send these bytes and keep reading.
        case bytes([UInt8])
        /// Send these bytes, then close.
        case bytesThenClose([UInt8])
        /// Never answer (for read deadlines); the connection stays open until the server stops.
        case silence
    }

    package let port: UInt16
    private let listener: Socket
    private let stopped = Atomic<Bool>(false)
    private let counts = Mutex<(connections: Int, requests: Int)>((0, 0))

    /// `reply` gets each request and the index of its connection (0 for the first accepted).
    package init(_ reply: @escaping @Sendable (ServerSideConnection.Received, Int) -> Reply) throws {
        listener = try Socket.listening(on: .ipv4(host: "127.0.0.1", port: 0))
        port = try listener.localAddress().port
        let listener = self.listener
        _ = try PosixThread(name: "scripted") { [self] in
            defer { listener.close() } // owned by this thread; see FakeRuntimeAPI
            while !stopped.load(ordering: .relaxed) {
                guard listener.poll(events: Int16(POLLIN), timeoutMilliseconds: 20), let (socket, _) = try? listener.accept() else { continue }
                let index = counts.withLock { counts in
                    defer { counts.connections += 1 }
                    return counts.connections
                }
                _ = try? PosixThread(name: "scripted-c") { [self] in serve(socket, index: index, reply) }
            }
        }
    }

    deinit { stop() }

    package var connections: Int { counts.withLock { $0.connections } }
    package var requests: Int { counts.withLock { $0.requests } }

    package func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    private func serve(_ socket: Socket, index: Int, _ reply: (ServerSideConnection.Received, Int) -> Reply) {
        defer { socket.close() }
        var connection = ServerSideConnection(socket: socket, idleTimeoutMilliseconds: 5_000)
        while !stopped.load(ordering: .relaxed), let request = connection.readRequest() {
            counts.withLock { $0.requests += 1 }
            switch reply(request, index) {
            case .bytes(let bytes):
                connection.send(bytes)
            case .bytesThenClose(let bytes):
                connection.send(bytes)
                return
            case .silence:
                while !stopped.load(ordering: .relaxed) { usleep(10_000) }
                return
            }
        }
    }
}
