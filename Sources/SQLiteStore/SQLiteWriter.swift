import CSQLite
import Glibc
import Synchronization
import VisitStore

/// The one thread that writes visits, with group commit: it takes every increment waiting, counts
/// them all in one `BEGIN IMMEDIATE` transaction, and answers each caller only after `COMMIT`, with
/// the counts as they were right after its own visit. Under load one commit (and one WAL write)
/// serves many visits; when idle a visit is written at once. The event loops never wait on a disk
/// write, a lock held by another process, or a WAL checkpoint's fsync.
final class SQLiteWriter: @unchecked Sendable {
    private let database: SQLiteDatabase
    private let begin: SQLiteStatement
    private let commit: SQLiteStatement
    private let rollback: SQLiteStatement
    private let add: SQLiteStatement
    private let select: SQLiteStatement
    let queue = SQLiteWriteQueue()
    private var thread: StoreThread?
    /// The counts as of the last commit, published before any caller of that commit is answered;
    /// `nil` after a failed write, until a write succeeds again, so that reads go to the file and
    /// report what is wrong with it.
    let committed: Mutex<VisitCounts?>
    /// Set by the checkpointer when the WAL has grown: the writer starts it over between batches.
    let restartWAL = Atomic<Bool>(false)

    init(database: SQLiteDatabase) throws(SQLiteError) {
        self.database = database
        database.setFineBusyTimeout(SQLiteVisitStore.busyTimeout)
        begin = try database.prepare("BEGIN IMMEDIATE")
        commit = try database.prepare("COMMIT")
        rollback = try database.prepare("ROLLBACK")
        add = try database.prepare("INSERT INTO visits (region, count) VALUES (?1, ?2) ON CONFLICT (region) DO UPDATE SET count = count + ?2")
        select = try database.prepare("SELECT region, count FROM visits")
        committed = Mutex(VisitCounts(regions: try SQLiteVisitStore.readCounts(select)))
    }

    /// Limits the file to `pages` pages on the writing connection (SQLite's `max_page_count`): a
    /// full disk, made without mounting one, for tests. Returns the file's page count.
    func limitPages(_ pages: Int) throws(SQLiteError) -> Int {
        _ = try database.pragma("PRAGMA max_page_count = \(pages)")
        return Int(try database.pragma("PRAGMA page_count") ?? "0") ?? 0
    }

    /// Starts the thread; it runs until `stop()`.
    func start() {
        thread = StoreThread { self.run() }
    }

    /// Answers what is queued, then ends the thread.
    func stop() {
        queue.stop()
        thread?.join()
    }

    private func run() {
        while let batch = queue.takeAll() {
            let results: [Result<VisitCounts, VisitStoreError>]
            do throws(SQLiteError) {
                results = try write(batch).map { .success($0) }
            } catch {
                try? rollback.run()
                committed.withLock { $0 = nil }
                let failure = VisitStoreError(error)
                results = Array(repeating: .failure(failure), count: batch.count)
            }
            for (item, result) in zip(batch, results) { item.continuation.resume(returning: result) }
            if restartWAL.exchange(false, ordering: .relaxed) {
                // Copies what the checkpointer's last round left and starts the WAL over; waits
                // (in 100 µs steps) if that round is still running.
                _ = sqlite3_wal_checkpoint_v2(database.handle, nil, SQLITE_CHECKPOINT_RESTART, nil, nil)
            }
        }
    }

    /// One transaction for the whole batch; the counts after each visit, in order.
    private func write(_ batch: [SQLiteWriteQueue.Pending]) throws(SQLiteError) -> [VisitCounts] {
        try begin.run()
        var counts = try SQLiteVisitStore.readCounts(select)
        var added: [String: Int] = [:]
        var after: [VisitCounts] = []
        after.reserveCapacity(batch.count)
        for item in batch {
            counts[item.region, default: 0] += item.amount
            added[item.region, default: 0] += item.amount
            after.append(VisitCounts(regions: counts))
        }
        for (region, count) in added {
            try add.bind(region, at: 1)
            try add.bind(count, at: 2)
            try add.run()
        }
        try commit.run()
        if let last = after.last { committed.withLock { $0 = last } }
        return after
    }
}

extension VisitStoreError {
    init(_ error: SQLiteError) {
        self = error.isCorruption ? .corrupt(error.description) : .unavailable(error.description)
    }
}
