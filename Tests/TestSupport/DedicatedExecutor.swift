package import Sockets
import Threads

/// A thread of its own that runs tasks (an event loop used only as a task executor), for code
/// under test that blocks its caller by design, like the Lambda runtime waiting on `/next`: run on
/// Swift's small cooperative pool, a few of those would starve every other test.
package final class DedicatedExecutor: Sendable {
    package let loop: EventLoop
    private let thread: PosixThread

    package init(name: String = "test-executor") throws {
        let loop = try EventLoop()
        self.loop = loop
        thread = try PosixThread(name: name) { try? loop.run() }
    }

    /// Starts `body` in a task whose jobs run on this thread.
    @discardableResult
    package func start<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> Task<T, Never> {
        Task(executorPreference: loop) { await body() }
    }

    /// Stops the thread once its current job returns.
    package func stop() {
        loop.stop()
    }
}
