import Glibc
import Synchronization

/// Threads of a store's own for calls that block on a socket until their deadline. Not Swift's
/// cooperative pool or Dispatch's global queues: on Linux those are one and the same, as wide as
/// the machine has cores, and two blocked calls on a 2-core Lambda would stall every task. Threads
/// are started on demand (none at cold start) up to `maximum`, kept for the next call, and end
/// after `idleSeconds` without one.
package final class BlockingWorkers: Sendable {
    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var threads = 0
        var idle = 0
    }

    /// The threads' name, as `top` and `/proc` show it.
    private let name: String
    private let maximum: Int
    private let idleSeconds: Int
    private let state = Mutex(State())
    /// Counts queued jobs; POSIX semaphores may be used from any thread.
    nonisolated(unsafe) private let signal: UnsafeMutablePointer<sem_t>

    package init(name: String, maximum: Int = 16, idleSeconds: Int = 10) {
        self.name = name
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
    package func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
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
            _ = try? PosixThread(name: name) { [self] in work() }
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

/// Where a store call that blocks on its socket waits for its answer.
package enum BlockingCalls: Sendable {
    /// On threads of the client's own, so the caller's executor never blocks: the dev server,
    /// whose event loops serve every connection.
    case workerThreads
    /// On the caller's thread, with no handoff: for an executor that serves one request at a time
    /// and has nothing else to do while it waits (a Lambda invocation's slot).
    case callerThread
}

extension BlockingWorkers {
    /// Runs `body` where `calls` says: on a worker, or right here.
    package func run<T: Sendable>(_ calls: BlockingCalls, _ body: @escaping @Sendable () -> T) async -> T {
        switch calls {
        case .workerThreads: await run(body)
        case .callerThread: body()
        }
    }
}
