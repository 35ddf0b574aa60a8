package import HTTPCore
package import Logging
package import Sockets
import Glibc
import Synchronization
import Timekeeping
import Threads

/// The dev server: HTTP/1.1 over non-blocking sockets, one event loop per core, answering with one
/// `HTTPResponder`. `start()` binds and returns; `shutdown()` stops gracefully.
package final class HTTPServer: Sendable {
    private let core: HTTPServerCore
    private let state = Mutex<Running?>(nil)

    private struct Running: @unchecked Sendable {
        let group: EventLoopGroup
        let contexts: [LoopContext]
        let acceptor: Acceptor
        let address: SocketAddress
    }

    package init(configuration: HTTPServerConfiguration = HTTPServerConfiguration(), responder: any HTTPResponder, logger: Logger) {
        self.core = HTTPServerCore(responder: responder, configuration: configuration, logger: logger)
    }

    /// The address the server listens on, with the real port after binding port 0.
    package var localAddress: SocketAddress? {
        state.withLock { $0?.address }
    }

    /// Binds, starts the event loops and begins accepting. Throws when the address cannot be bound.
    @discardableResult
    package func start() throws(SocketError) -> SocketAddress {
        let configuration = core.configuration
        FileDescriptorLimit.raiseToMaximum()
        let address = try SocketAddress(host: configuration.host, port: configuration.port)
        let listener = try Socket.listening(on: address)
        let group: EventLoopGroup
        let bound: SocketAddress
        do throws(SocketError) {
            bound = try listener.localAddress()
            group = try EventLoopGroup(loopCount: configuration.loopCount > 0 ? configuration.loopCount : EventLoopGroup.defaultLoopCount)
        } catch {
            listener.close()
            throw error
        }
        let contexts = group.loops.map { LoopContext(loop: $0) }
        let acceptor = Acceptor(listener: listener, contexts: contexts, server: core)
        for context in contexts {
            let loop = context.loop
            loop.execute {
                loop.scheduleRepeating(every: configuration.sweepInterval) { context.sweep(now: .now()) }
            }
        }
        let logger = core.logger
        do throws(SocketError) {
            try group.start { error in logger.critical("event loop stopped", metadata: ["error": "\(error)"]) }
        } catch {
            listener.close()
            throw error
        }
        let registered = Mutex<SocketError?>(nil)
        let done = PosixSemaphore()
        contexts[0].loop.execute {
            do throws(SocketError) {
                try contexts[0].loop.register(listener.fd, interest: .read, handler: acceptor)
            } catch {
                registered.withLock { $0 = error }
            }
            done.post()
        }
        done.wait() // the loop's thread registers the listener; this one sleeps until it has
        if let error = registered.withLock({ $0 }) {
            group.stopAndJoin()
            listener.close()
            throw error
        }
        state.withLock { $0 = Running(group: group, contexts: contexts, acceptor: acceptor, address: bound) }
        return bound
    }

    /// Stops accepting, lets requests in flight finish (at most the grace period), closes every
    /// connection and stops the loops. Blocks until done; safe to call more than once.
    package func shutdown() {
        guard let running = state.withLock({ current -> Running? in
            defer { current = nil }
            return current
        }) else { return }
        let remaining = Atomic<Int>(running.contexts.count)
        for context in running.contexts {
            context.loop.execute {
                if context === running.contexts[0] { running.acceptor.close() }
                context.shuttingDown = true
                for connection in Array(context.connections.values) { connection.closeIfIdle() }
                if context.connections.isEmpty {
                    remaining.subtract(1, ordering: .releasing)
                } else {
                    context.onConnectionClosed = { left in
                        if left == 0 {
                            context.onConnectionClosed = { _ in }
                            remaining.subtract(1, ordering: .releasing)
                        }
                    }
                }
            }
        }
        let deadline = MonotonicTime.now().advanced(by: core.configuration.shutdownGracePeriod)
        while remaining.load(ordering: .acquiring) > 0 && MonotonicTime.now() < deadline {
            usleep(2_000)
        }
        let forced = Atomic<Int>(0)
        for context in running.contexts {
            context.loop.execute {
                for connection in Array(context.connections.values) {
                    forced.add(1, ordering: .relaxed)
                    connection.close()
                }
            }
        }
        running.group.stopAndJoin()
        let count = forced.load(ordering: .relaxed)
        if count > 0 {
            core.logger.warning("closed connections still busy after the grace period", metadata: ["count": "\(count)"])
        }
    }
}
