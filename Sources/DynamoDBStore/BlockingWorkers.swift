import Glibc
import Sockets
import Synchronization
import Threads

/// Threads of the store's own for calls that block on a socket until their deadline. Not Swift's
/// cooperative pool or Dispatch's global queues: on Linux those are one and the same, as wide as
/// the machine has cores, and two blocked calls on a 2-core Lambda would stall every task. Threads
/// are started on demand (none at cold start) up to `maximum`, kept for the next call, and end
/// after `idleSeconds` without one.
final class BlockingWorkers: Sendable {
    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var threads = 0
        var idle = 0
    }

    private let maximum: Int
    private let idleSeconds: Int
    private let state = Mutex(State())
    /// Counts queued jobs; POSIX semaphores may be used from any thread.
    nonisolated(unsafe) private let signal: UnsafeMutablePointer<sem_t>

    init(maximum: Int = 16, idleSeconds: Int = 10) {
        self.maximum = maximum
        self.idleSeconds = idleSeconds
        signal = .allocate(capacity: 1)
        sem_init(signal, 0, 0)
    }

    deinit {
        // Reached once every worker has ended (each holds the pool while it runs).
        sem_destroy(signal)
        signal.deallocate()
    }

    /// Runs `body` on a worker and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            submit { continuation.resume(returning: body()) }
        }
    }

    private func submit(_ job: @escaping @Sendable () -> Void) {
        let startThread = state.withLock { state -> Bool in
            state.jobs.append(job)
            if state.idle == 0 && state.threads < maximum {
                state.threads += 1
                return true
            }
            return false
        }
        if startThread {
            _ = try? PosixThread(name: "dynamodb") { [self] in work() }
        }
        sem_post(signal)
    }

    private func work() {
        while true {
            state.withLock { $0.idle += 1 }
            var until = timespec()
            clock_gettime(CLOCK_REALTIME, &until)
            until.tv_sec += idleSeconds
            var waited: Int32
            repeat { waited = sem_timedwait(signal, &until) } while waited != 0 && errno == EINTR
            let job = state.withLock { state -> (@Sendable () -> Void)? in
                state.idle -= 1
                if waited != 0 {
                    // Idle too long: end, unless a job came in just now (its post is still counted).
                    guard !state.jobs.isEmpty else { state.threads -= 1; return nil }
                }
                return state.jobs.isEmpty ? nil : state.jobs.removeFirst()
            }
            if waited != 0 && job == nil { return }
            if waited != 0 { sem_wait(signal) } // take the post that belongs to the job taken
            job?()
        }
    }
}
