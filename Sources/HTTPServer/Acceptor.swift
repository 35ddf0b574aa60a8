import Glibc
import Logging
import Sockets

/// Accepts connections on the listening socket (registered on the first loop) and deals them out to
/// the loops round-robin, so connections spread evenly however the kernel wakes threads.
final class Acceptor: EventLoopHandler, @unchecked Sendable {
    let listener: Socket
    let contexts: [LoopContext]
    let server: HTTPServerCore
    private var next = 0
    private var paused = false
    /// Failures since the last line about them, and when that line was written: out of
    /// descriptors, accept fails every 100 ms, and the log gets one line a second, not ten.
    private var unloggedFailures = 0
    private var lastFailureLog: MonotonicTime?

    init(listener: Socket, contexts: [LoopContext], server: HTTPServerCore) {
        self.listener = listener
        self.contexts = contexts
        self.server = server
    }

    func handle(_ events: IOEvents) {
        for _ in 0..<64 {
            let accepted: (Socket, SocketAddress?)?
            do {
                accepted = try listener.accept()
            } catch {
                // Out of descriptors (EMFILE/ENFILE): stop accepting for a moment instead of spinning.
                unloggedFailures += 1
                let now = MonotonicTime.now()
                if lastFailureLog.map({ $0.milliseconds(until: now) >= 1_000 }) ?? true {
                    server.logger.warning("accept failed; pausing 100 ms at a time", metadata: ["error": "\(error)", "failures": "\(unloggedFailures)"])
                    unloggedFailures = 0
                    lastFailureLog = now
                }
                pause()
                return
            }
            guard let (socket, peer) = accepted else { return }
            socket.setNoDelay()
            let context = contexts[next]
            next = (next + 1) % contexts.count
            let peerText = peer?.description
            if context.loop.inLoop {
                Self.open(socket, peer: peerText, on: context, server: server)
            } else {
                let server = self.server
                context.loop.execute { Self.open(socket, peer: peerText, on: context, server: server) }
            }
        }
    }

    private func pause() {
        guard !paused, let loop = contexts.first?.loop else { return }
        paused = true
        try? loop.modify(listener.fd, interest: [])
        loop.schedule(at: MonotonicTime.now().advanced(by: .milliseconds(100))) { [self] in
            paused = false
            try? loop.modify(listener.fd, interest: .read)
        }
    }

    /// Stops accepting and closes the listening socket.
    func close() {
        contexts.first?.loop.deregister(listener.fd)
        listener.close()
    }

    private static func open(_ socket: Socket, peer: String?, on context: LoopContext, server: HTTPServerCore) {
        if context.shuttingDown {
            socket.close()
            return
        }
        let connection = HTTPConnection(socket: socket, peer: peer, context: context, server: server, now: .now())
        do {
            try context.loop.register(socket.fd, interest: [.read, .write, .edgeTriggered], handler: connection)
            context.add(connection)
        } catch {
            socket.close()
        }
    }
}
