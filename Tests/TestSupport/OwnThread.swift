internal import Sockets
import Threads

/// Runs blocking work (starting moto, waiting on a child process) on a thread of its own and awaits
/// it, so that an async test does not hold one of the two threads Swift's cooperative pool has here.
package func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let result: Result<T, any Error> = try await withCheckedThrowingContinuation { continuation in
        do {
            _ = try PosixThread(name: "test-blocking") {
                do { continuation.resume(returning: .success(try body())) } catch { continuation.resume(returning: .failure(error)) }
            }
        } catch {
            continuation.resume(throwing: error)
        }
    }
    return try result.get()
}
