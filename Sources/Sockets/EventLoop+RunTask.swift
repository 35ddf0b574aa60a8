import Synchronization

extension EventLoop {
    /// Runs `body` as a task on a new event loop driven by the calling thread, and returns when it
    /// ends (rethrowing what it threw): async work from synchronous code with no thread pool, where
    /// work that blocks on purpose (the Lambda loop's wait on `/next`) blocks only this thread.
    package static func runTask(_ body: @escaping @Sendable () async throws -> Void) throws {
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
