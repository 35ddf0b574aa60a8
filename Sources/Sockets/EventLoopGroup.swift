import Glibc
import Threads

/// One event loop per core, each on a thread of its own. Connections are spread over the loops
/// round-robin when they are accepted and stay on their loop for life.
package final class EventLoopGroup: @unchecked Sendable {
    /// The loops, in index order.
    package let loops: [EventLoop]
    private var threads: [PosixThread] = []
    private var nextIndex = 0

    /// The number of loops that fits this machine: one per online core.
    package static var defaultLoopCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    package init(loopCount: Int = EventLoopGroup.defaultLoopCount) throws(SocketError) {
        var loops: [EventLoop] = []
        for index in 0..<max(1, loopCount) { loops.append(try EventLoop(index: index)) }
        self.loops = loops
    }

    /// Starts every loop on its own thread. `onFailure` gets a loop's fatal error (epoll_wait failing).
    package func start(onFailure: @escaping @Sendable (SocketError) -> Void = { _ in }) throws(SocketError) {
        for loop in loops {
            do {
                threads.append(try PosixThread(name: "swiftlet-loop-\(loop.index)") {
                    do throws(SocketError) { try loop.run() } catch { onFailure(error) }
                })
            } catch {
                throw SocketError(call: "pthread_create", errno: error.errno)
            }
        }
    }

    /// The next loop round-robin; call from one thread (the accepting loop).
    package func next() -> EventLoop {
        let loop = loops[nextIndex]
        nextIndex = (nextIndex + 1) % loops.count
        return loop
    }

    /// Stops every loop and waits for their threads.
    package func stopAndJoin() {
        for loop in loops { loop.stop() }
        for thread in threads { thread.join() }
        threads.removeAll()
    }
}
