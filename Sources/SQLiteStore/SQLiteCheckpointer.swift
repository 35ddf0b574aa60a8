import CSQLite
import Glibc
import Threads
import Synchronization
import Timekeeping

/// Copies the WAL back into the database on a thread of its own, on its own connection, in
/// `PASSIVE` mode (it never blocks the writer or readers). The writer runs with automatic
/// checkpoints off, so a commit only appends to the WAL; the checkpoint's fsyncs, which can take
/// hundreds of milliseconds on a busy disk, never hold up an increment.
///
/// A passive checkpoint never catches up with a writer that commits all the time, and SQLite only
/// starts the WAL over once one has: under steady load the file grew by a page per commit, over
/// 100 MB a second. So when the WAL has passed `restartFrames`, right after a passive round has
/// copied nearly all of it, this asks the writer (`walIsLarge`) to run a `RESTART` checkpoint
/// between two of its transactions: it copies the few frames left and makes the next commit write
/// from the start of the file again, holding up increments for 1 to 3 ms. (Run from this thread,
/// it starved: its busy handler rarely found the writer between transactions.) `TRUNCATE`,
/// which also shrinks the file, took ten times as long, so the file keeps the size it reached:
/// tens of MB under a benchmark, a few pages on a laptop.
final class SQLiteCheckpointer: @unchecked Sendable {
    /// Used on this thread only; replaced when the writer has put the file back at its path.
    private var database: SQLiteDatabase
    /// Set by `reopen()`: the next round first moves to the file now at the path.
    private let moved = Atomic<Bool>(false)
    private let interval: Duration
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var stopped = false
    private var thread: PosixThread?

    /// WAL frames (pages) past which a round ends by starting the WAL over: 4,096 pages are 16 MB.
    private let restartFrames: Int32

    /// Called on this thread when the WAL should be started over.
    private let walIsLarge: @Sendable () -> Void

    init(database: SQLiteDatabase, interval: Duration = .milliseconds(500), restartFrames: Int32 = 4_096, walIsLarge: @escaping @Sendable () -> Void) {
        self.database = database
        self.walIsLarge = walIsLarge
        self.interval = interval
        self.restartFrames = restartFrames
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func start() throws(PosixThread.StartError) {
        thread = try PosixThread(name: "sqlite-checkpt") { self.run() }
    }

    /// Runs one last checkpoint, then ends the thread.
    func stop() {
        pthread_mutex_lock(mutex)
        stopped = true
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
        thread?.join()
    }

    /// Moves to the file now at the path, from the next round on (called by the writer once it
    /// has put the file back).
    func reopen() {
        moved.store(true, ordering: .relaxed)
    }

    private func run() {
        while waitForNextRound() { checkpoint() }
        checkpoint()
    }

    /// Waits one interval; `false` once stopped.
    private func waitForNextRound() -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let nanoseconds = Int(now.tv_nsec) + Int(interval.nanoseconds)
        var deadline = timespec(tv_sec: now.tv_sec + nanoseconds / 1_000_000_000, tv_nsec: nanoseconds % 1_000_000_000)
        while !stopped {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { break }
        }
        return !stopped
    }

    private func checkpoint() {
        if moved.exchange(false, ordering: .relaxed) {
            if let reopened = try? SQLiteVisitStore.open(database.path, create: false) {
                database.leavePathAloneOnClose()
                database = reopened
            } else {
                moved.store(true, ordering: .relaxed) // the file went again: the next round tries
            }
        }
        var logFrames: Int32 = 0
        var copied: Int32 = 0
        _ = sqlite3_wal_checkpoint_v2(database.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied)
        if logFrames > restartFrames { walIsLarge() }
    }
}
