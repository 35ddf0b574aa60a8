import Sockets
import Synchronization

/// Runs async work from a synchronous command on this thread, used as the task executor: no
/// thread pool is started for it, and work that blocks on purpose (the Lambda loop's wait on
/// `/next`) blocks only this thread.
enum EventLoopRunner {
    static func run(_ body: @escaping @Sendable () async throws -> Void) throws {
        let loop = try EventLoop()
        let failure = Mutex<(any Error)?>(nil)
        Task(executorPreference: loop) {
            do {
                try await body()
            } catch {
                failure.withLock { $0 = error }
            }
            loop.stop()
        }
        try loop.run()
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
