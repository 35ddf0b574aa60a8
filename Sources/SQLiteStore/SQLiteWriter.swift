import CSQLite
import Glibc
import Threads
import Synchronization
import VisitStore

/// The one thread that writes visits, with group commit: it takes every increment waiting, counts
/// them all in one `BEGIN IMMEDIATE` transaction, and answers each caller only after `COMMIT`, with
/// the counts as they were right after its own visit. Under load one commit (and one WAL write)
/// serves many visits; when idle a visit is written at once. The event loops never wait on a disk
/// write, a lock held by another process, or a WAL checkpoint's fsync.
final class SQLiteWriter: @unchecked Sendable {
    /// The writing connection and its statements; replaced only on the writer's thread, when the
    /// file is put back after it moved.
    private var connection: Connection
    let path: String
    /// This store's claim to the file (see `FileOwnership`); renewed when the file is put back.
    private var ownership: FileOwnership
    let queue = SQLiteWriteQueue()
    private var thread: PosixThread?
    /// The counts as of the last commit, published before any caller of that commit is answered;
    /// `nil` after a failed write, until a write succeeds again, so that reads go to the file and
    /// report what is wrong with it.
    let committed: Mutex<VisitCounts?>
    /// Set by the checkpointer when the WAL has grown: the writer starts it over between batches.
    let restartWAL = Atomic<Bool>(false)
    /// Called on the writer's thread once the file is back at `path`, so the other connections
    /// (readers, checkpointer) move to it; set before `start()`.
    var fileRestored: @Sendable () -> Void = {}
    /// Where events an operator should hear of go (the file put back); errors go to the callers.
    private let notice: @Sendable (String) -> Void

    init(database: SQLiteDatabase, ownership: FileOwnership, notice: @escaping @Sendable (String) -> Void) throws(SQLiteError) {
        connection = try Connection(database)
        path = database.path
        self.ownership = ownership
        self.notice = notice
        committed = Mutex(VisitCounts(regions: try SQLiteVisitStore.readCounts(connection.select)))
    }

    /// A connection prepared for the writer, with the busy handler and pragmas a writer needs.
    private struct Connection {
        let database: SQLiteDatabase
        let begin: SQLiteStatement
        let commit: SQLiteStatement
        let rollback: SQLiteStatement
        let add: SQLiteStatement
        /// Takes back the one a probe added (see `write`).
        let takeBack: SQLiteStatement
        let select: SQLiteStatement

        init(_ database: SQLiteDatabase) throws(SQLiteError) {
            self.database = database
            database.setFineBusyTimeout(SQLiteVisitStore.busyTimeout)
            try database.execute("PRAGMA wal_autocheckpoint=0")
            begin = try database.prepare("BEGIN IMMEDIATE")
            commit = try database.prepare("COMMIT")
            rollback = try database.prepare("ROLLBACK")
            add = try database.prepare("INSERT INTO visits (region, count) VALUES (?1, ?2) ON CONFLICT (region) DO UPDATE SET count = count + ?2")
            takeBack = try database.prepare("UPDATE visits SET count = count - 1 WHERE region = ?1")
            select = try database.prepare("SELECT region, count FROM visits")
        }
    }

    /// Limits the file to `pages` pages on the writing connection (SQLite's `max_page_count`): a
    /// full disk, made without mounting one, for tests. Returns the file's page count.
    func limitPages(_ pages: Int) throws(SQLiteError) -> Int {
        _ = try connection.database.pragma("PRAGMA max_page_count = \(pages)")
        return Int(try connection.database.pragma("PRAGMA page_count") ?? "0") ?? 0
    }

    /// Starts the thread; it runs until `stop()`.
    func start() throws(PosixThread.StartError) {
        thread = try PosixThread(name: "sqlite-writer") { self.run() }
    }

    /// Answers what is queued, then ends the thread.
    func stop() {
        queue.stop()
        thread?.join()
    }

    private func run() {
        while let batch = queue.takeAll() {
            let results: [Result<VisitCounts, VisitStoreError>]
            do throws(VisitStoreError) {
                try restoreFileIfMoved()
                results = try write(batch).map { .success($0) }
            } catch {
                committed.withLock { $0 = nil }
                results = Array(repeating: .failure(error), count: batch.count)
            }
            for (item, result) in zip(batch, results) { item.continuation.resume(returning: result) }
            if restartWAL.exchange(false, ordering: .relaxed) {
                // Copies what the checkpointer's last round left and starts the WAL over; waits
                // (in 100 µs steps) if that round is still running.
                _ = sqlite3_wal_checkpoint_v2(connection.database.handle, nil, SQLITE_CHECKPOINT_RESTART, nil, nil)
            }
        }
    }

    /// Before a commit: when the file is no longer at `path` (see `SQLiteFileRestorer`), puts it
    /// back and moves every connection to it, or throws why it cannot, so that no visit is
    /// acknowledged into a file nobody will open again. One `stat` per batch.
    private func restoreFileIfMoved() throws(VisitStoreError) {
        guard connection.database.hasMoved else { return }
        let visits: Int
        do throws(SQLiteFileRestorer.Failure) {
            ownership = try SQLiteFileRestorer.restore(connection.database, to: path, ownership: ownership)
            let restored: Connection
            do throws(SQLiteError) {
                let database = try SQLiteVisitStore.open(path, create: false)
                _ = try database.pragma("PRAGMA journal_mode=WAL")
                restored = try Connection(database)
                visits = try SQLiteVisitStore.readCounts(restored.select).values.reduce(0, +)
            } catch {
                unlink(path) // the copy just linked: the next batch makes a new one
                throw .copy(error)
            }
            connection.database.leavePathAloneOnClose()
            connection = restored
        } catch {
            throw .unavailable("the SQLite database \(path) was removed while in use and could not be put back: \(error); "
                + "the visits counted so far are safe in the open file while this process runs")
        }
        fileRestored()
        notice("the SQLite database \(path) was removed or moved while in use; put it back from the open file, with its \(visits) visits")
    }

    /// One transaction for the whole batch; the counts after each visit, in order.
    private func write(_ batch: [SQLiteWriteQueue.Pending]) throws(VisitStoreError) -> [VisitCounts] {
        let connection = connection
        do throws(SQLiteError) {
            try connection.begin.run()
            var counts = try SQLiteVisitStore.readCounts(connection.select)
            var added: [String: Int] = [:]
            var after: [VisitCounts] = []
            after.reserveCapacity(batch.count)
            for item in batch {
                counts[item.region, default: 0] += item.amount
                added[item.region, default: 0] += item.amount
                after.append(VisitCounts(regions: counts))
            }
            for (region, count) in added {
                // A probe (`amount` 0) must need the disk as a visit does: `count + 0` changes no
                // page, so its commit wrote nothing and passed on a full disk while every visit
                // failed. Adding one and taking it away dirties the row's page like a visit.
                try connection.add.bind(region, at: 1)
                try connection.add.bind(count == 0 ? 1 : count, at: 2)
                try connection.add.run()
                if count == 0 {
                    try connection.takeBack.bind(region, at: 1)
                    try connection.takeBack.run()
                }
            }
            try connection.commit.run()
            if let last = after.last { committed.withLock { $0 = last } }
            return after
        } catch {
            try? connection.rollback.run()
            throw VisitStoreError(error)
        }
    }
}

extension VisitStoreError {
    init(_ error: SQLiteError) {
        self = error.isCorruption ? .corrupt(error.description) : .unavailable(error.description)
    }
}
