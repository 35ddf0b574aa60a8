import Glibc
import VisitStore

/// Increments waiting for the writer thread. Callers add to it from any thread; the writer takes
/// everything that is waiting at once, which is what makes one transaction serve many visits.
final class SQLiteWriteQueue: @unchecked Sendable {
    struct Pending {
        let region: String
        /// 1 for a visit; 0 for a write probe, which writes the region's row and counts nothing.
        var amount = 1
        /// Resumed exactly once: by the writer after its batch commits, or by `submit`'s caller
        /// when the queue has stopped. (Unsafe: the checked kind allocates a guard per visit.)
        let continuation: UnsafeContinuation<Result<VisitCounts, VisitStoreError>, Never>
    }

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var pending: [Pending] = []
    private var stopped = false
    /// How many visits the last batch held: the load the writer is under.
    private var lastBatch = 0
    /// At or above this many visits a batch, the writer lets more gather before it commits.
    static let busyBatch = 4
    /// How long it lets them gather: long enough to double the batch under load, short against
    /// a request's time. A commit costs some 20 µs of writes and file locks whatever it holds.
    static let gatherTime = timespec(tv_sec: 0, tv_nsec: 100_000)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Queues an increment; `false` when the writer has stopped (the caller answers with an error).
    func submit(_ item: Pending) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !stopped else { return false }
        pending.append(item)
        pthread_cond_signal(condition)
        return true
    }

    /// Waits for work and takes all of it; `nil` once stopped with nothing left. Under load (the
    /// last batch was large) it first waits `gatherTime` for more, so one commit serves more visits;
    /// a lone visit on a quiet server is written at once.
    func takeAll() -> [Pending]? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while pending.isEmpty && !stopped { pthread_cond_wait(condition, mutex) }
        if pending.isEmpty { return nil }
        if lastBatch >= Self.busyBatch && !stopped {
            pthread_mutex_unlock(mutex)
            var rest = timespec()
            var gather = Self.gatherTime
            nanosleep(&gather, &rest)
            pthread_mutex_lock(mutex)
        }
        lastBatch = pending.count
        var batch: [Pending] = []
        swap(&batch, &pending) // no copy; the next submit starts a new array
        return batch
    }

    /// Lets the writer finish what is queued, then end.
    func stop() {
        pthread_mutex_lock(mutex)
        stopped = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }
}
