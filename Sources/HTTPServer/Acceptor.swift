import Glibc
import Logging
import Sockets
import Timekeeping

/// Accepts connections on the listening socket (registered on the first loop) and deals them out to
/// the loops round-robin, so connections spread evenly however the kernel wakes threads.
final class Acceptor: EventLoopHandler, @unchecked Sendable {
    let listener: Socket
    let contexts: [LoopContext]
    let server: HTTPServerCore
    private var next = 0
    private var paused = false
    /// Out of descriptors, accept fails every 100 ms: the log gets one line a second, not ten.
    private var failures = RepeatedEventLog()
    /// Given up, out of descriptors, to accept one waiting client and tell it so.
    private let spare = SpareDescriptor()
    /// Clients told 503 for want of a descriptor.
    private var refusals = RepeatedEventLog()

    /// What a client accepted on the spare descriptor is told before it is closed: the server
    /// cannot take it now (RFC 9110 §15.6.4), rather than a wait in the backlog with no answer.
    /// Behind CloudFront, a 503 also fails the request over to the other region.
    static let outOfDescriptorsAnswer: [UInt8] = {
        let body = "The server has too many clients; try again in a moment.\n"
        let head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
        return Array((head + body).utf8)
    }()

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
                if error.isOutOfDescriptors && refuseOneWaitingClient() { continue }
                // Out of descriptors with no spare (or another error): stop accepting for a moment
                // instead of spinning.
                if let count = failures.record() {
                    server.logger.warning("accept failed; pausing 100 ms at a time", metadata: ["error": "\(error)", "failures": "\(count)"])
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

    /// Out of descriptors: gives up the spare to accept one waiting client, answers it 503 and
    /// closes it. `false` when there was no spare or still no descriptor.
    private func refuseOneWaitingClient() -> Bool {
        var refused = false
        let hadSpare = spare.whileReleased {
            guard let (socket, _) = try? listener.accept() else { return }
            Self.outOfDescriptorsAnswer.withUnsafeBytes { _ = try? socket.write($0) }
            // What the client has sent is read first, so closing sends a FIN, not a reset that
            // could destroy the answer before it is read.
            withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 1) { _ = try? socket.read(into: $0.baseAddress!, count: 4096) }
            socket.close()
            refused = true
        }
        guard hadSpare && refused else { return false }
        if let count = refusals.record() {
            server.logger.warning("out of file descriptors; new clients are answered 503", metadata: ["refused": "\(count)"])
        }
        return true
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
