import CSQLite
import Glibc
import Threads
import Synchronization
package import VisitStore
package import Timekeeping

/// Visits in a SQLite file: the store `swiftlet serve` uses by default, so a laptop needs no AWS.
///
/// Connections in WAL mode. Increments go to one writer thread (`SQLiteWriter`), which counts all
/// that are waiting in one `BEGIN IMMEDIATE` transaction and answers each after the commit, so N
/// increments from any number of connections add exactly N. Checkpoints run on a thread of their
/// own (`SQLiteCheckpointer`), so their fsyncs never delay a commit.
///
/// Reads: this store is the only one on the file (it holds `<path>.lock`; a second store, in this
/// process or another, is refused), so the counts of the writer's last commit, published before
/// any increment of that commit is answered, are the file's counts: reads cost a mutex, not a
/// transaction. Health checks read the file itself, on a few read connections each behind its own
/// mutex; WAL lets them run while a write is in progress.
///
/// This store's claim to the file is an advisory `flock` on `<path>.lock` (`FileOwnership`, kept
/// by the writer): no other store, in this process or another, writes it, so the writer's last
/// commit is the truth and reads need no SQL. A second store on the same file is refused at start.
///
/// A file (or folder) removed or moved while the store runs is put back by the writer before its
/// next commit, from the file it still has open (`SQLiteFileRestorer`), and `onNotice` hears of it.
///
/// `synchronous=NORMAL` in WAL mode makes a committed increment survive the process being killed
/// (`kill -9`); only a power loss could take the last commits, which `synchronous=FULL` would
/// prevent at the cost of an fsync per commit.
package final class SQLiteVisitStore: VisitStore {
    private let readers: [ReaderSlot]
    private let writer: SQLiteWriter
    private let checkpointer: SQLiteCheckpointer
    package let path: String

    /// Read connections: enough that event loops (one per core) rarely wait for one.
    static let readerCount = 4

    /// The busy timeout of ordinary statements, when another process holds the write lock.
    static let busyTimeout: Duration = .seconds(2)

    static let migrations = SQLiteMigrator(migrations: [
        .init(version: 1, sql: """
            CREATE TABLE visits (
                region TEXT PRIMARY KEY NOT NULL,
                count INTEGER NOT NULL CHECK (count >= 0)
            ) STRICT
            """),
    ])

    /// Opens (creating the file and its folder when missing) and migrates the database at `path`.
    /// Throws a `SQLiteStoreError` saying what is wrong with the path or the file. `onNotice`
    /// hears of what an operator should know that is not an error (the file put back after it
    /// was removed); it is called on the writer's thread.
    package convenience init(path: String, onNotice: @escaping @Sendable (String) -> Void = { _ in }) throws(SQLiteStoreError) {
        try self.init(path: path, checkpointInterval: .milliseconds(500), walRestartFrames: 4_096, onNotice: onNotice)
    }

    /// With the checkpointer's round and the WAL size (in pages) past which it starts the WAL
    /// over (see `SQLiteCheckpointer`); tests make them small.
    package init(path: String, checkpointInterval: Duration, walRestartFrames: Int32,
                 onNotice: @escaping @Sendable (String) -> Void = { _ in }) throws(SQLiteStoreError) {
        self.path = path
        try ParentFolder.create(for: path)
        do {
            let database = try Self.open(path)
            let mode = try database.pragma("PRAGMA journal_mode=WAL")
            if mode?.lowercased() != "wal" {
                throw SQLiteError(code: SQLITE_ERROR, message: "could not switch to WAL (journal_mode is \(mode ?? "unknown"))")
            }
            try Self.migrations.migrate(database)
            guard let claim = FileOwnership(lockPath: path + ".lock") else {
                throw SQLiteStoreError.inUse(path: path)
            }
            let writer = try SQLiteWriter(database: database, ownership: claim, notice: onNotice)
            self.writer = writer
            let checkpointer = SQLiteCheckpointer(database: try Self.open(path), interval: checkpointInterval, restartFrames: walRestartFrames) {
                writer.restartWAL.store(true, ordering: .relaxed)
            }
            self.checkpointer = checkpointer
            let readers = try (0..<Self.readerCount).map { _ throws(SQLiteError) in ReaderSlot(try Reader(database: try Self.open(path))) }
            self.readers = readers
            writer.fileRestored = { [weak checkpointer] in // it holds the writer
                for slot in readers { slot.reopen() }
                checkpointer?.reopen()
            }
        } catch let error as SQLiteStoreError {
            throw error
        } catch let error as SQLiteError {
            throw SQLiteStoreError.cannotOpen(path: path, error)
        } catch {
            throw SQLiteStoreError.cannotOpen(path: path, SQLiteError(code: SQLITE_ERROR, message: "\(error)"))
        }
        do {
            try writer.start()
            try checkpointer.start()
        } catch {
            throw SQLiteStoreError.cannotStartThread(path: path, errno: error.errno) // deinit stops what started
        }
    }

    deinit {
        writer.stop()
        checkpointer.stop()
    }

    /// A connection as the store's connections are set up; `create: false` when the file must
    /// already be there (a connection moving to a file put back).
    static func open(_ path: String, create: Bool = true) throws(SQLiteError) -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: path, create: create)
        database.setBusyTimeout(busyTimeout)
        try database.execute("PRAGMA synchronous=NORMAL")
        return database
    }

    /// Through the one writer thread, whose commits never wait on a network: the deadline is the
    /// busy timeout's business (a lock held elsewhere), not the caller's.
    package func increment(region: String, deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts {
        let result = await withUnsafeContinuation { continuation in
            if !writer.queue.submit(.init(region: region, continuation: continuation)) {
                continuation.resume(returning: .failure(.unavailable("the SQLite writer has stopped")))
            }
        }
        return try result.get()
    }

    /// An increment by zero through the writer: the same row written, the same commit and WAL
    /// append, so it fails exactly when a visit would (a full disk, a lock held elsewhere).
    package func probeWrite(region: String, deadline: MonotonicTime) async throws(VisitStoreError) {
        let result = await withUnsafeContinuation { continuation in
            if !writer.queue.submit(.init(region: region, amount: 0, continuation: continuation)) {
                continuation.resume(returning: .failure(.unavailable("the SQLite writer has stopped")))
            }
        }
        _ = try result.get()
    }

    /// Limits the file to `pages` pages for the writer (a full disk for tests); the page count now.
    package func limitPages(_ pages: Int) throws(SQLiteError) -> Int {
        try writer.limitPages(pages)
    }

    package func counts(deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts {
        if let counts = countsWithoutWaiting() { return counts }
        return try read { (reader) throws(SQLiteError) in VisitCounts(regions: try Self.readCounts(reader.select)) }
    }

    /// The counts of the writer's last commit; `nil` after a failed write, when only the file knows.
    package func countsWithoutWaiting() -> VisitCounts? {
        writer.committed.withLock { $0 }
    }

    package func checkHealth(deadline: MonotonicTime) async throws(VisitStoreError) {
        let timeout = deadline.remaining
        try read { (reader) throws(SQLiteError) in
            reader.database.setBusyTimeout(min(timeout, Self.busyTimeout))
            defer { reader.database.setBusyTimeout(Self.busyTimeout) }
            defer { reader.probe.reset() }
            _ = try reader.probe.step()
        }
        if MonotonicTime.now() > deadline { throw .timedOut(timeout) }
    }

    /// Runs `body` on a free read connection, or waits for one when all are busy.
    private func read<T: Sendable>(_ body: (Reader) throws(SQLiteError) -> T) throws(VisitStoreError) -> T {
        do throws(SQLiteError) {
            for slot in readers {
                if let result = try slot.useIfFree(body) { return result }
            }
            return try readers[0].use(body)
        } catch {
            throw VisitStoreError(error)
        }
    }

    /// Every region's count from `select` (`SELECT region, count FROM visits`).
    static func readCounts(_ select: SQLiteStatement) throws(SQLiteError) -> [String: Int] {
        defer { select.reset() }
        var regions: [String: Int] = [:]
        while try select.step() {
            guard let region = select.text(at: 0) else {
                throw SQLiteError(code: SQLITE_MISMATCH, message: "a visits row has no region", sql: select.sql)
            }
            regions[region] = select.int(at: 1)
        }
        return regions
    }
}

extension SQLiteVisitStore {
    /// A read connection and its statements, used only under its slot's mutex.
    final class Reader: @unchecked Sendable {
        let database: SQLiteDatabase
        let select: SQLiteStatement
        /// The health check: touches the table without building counts.
        let probe: SQLiteStatement

        init(database: SQLiteDatabase) throws(SQLiteError) {
            self.database = database
            select = try database.prepare("SELECT region, count FROM visits")
            probe = try database.prepare("SELECT count FROM visits LIMIT 1")
        }
    }

    /// A read connection behind its own mutex. Its connection is dropped and opened again on the
    /// file put back at the path, when the writer restores one.
    final class ReaderSlot: Sendable {
        private let reader: Mutex<Reader?>
        private let path: String

        init(_ reader: Reader) {
            path = reader.database.path
            self.reader = Mutex(reader)
        }

        /// Runs `body` on this connection; `nil` when another thread is using it.
        func useIfFree<T: Sendable>(_ body: (Reader) throws(SQLiteError) -> T) throws(SQLiteError) -> T? {
            try reader.withLockIfAvailable { (reader) throws(SQLiteError) -> T in try body(try Self.opened(&reader, path)) }
        }

        /// Runs `body` on this connection, waiting for it when another thread is using it.
        func use<T: Sendable>(_ body: (Reader) throws(SQLiteError) -> T) throws(SQLiteError) -> T {
            try reader.withLock { (reader) throws(SQLiteError) -> T in try body(try Self.opened(&reader, path)) }
        }

        /// Moves to the file now at the path: the old connection goes (leaving the path's files
        /// alone), the new one is opened now, or on next use if that fails.
        func reopen() {
            reader.withLock { reader in
                reader?.database.leavePathAloneOnClose()
                reader = try? Reader(database: try SQLiteVisitStore.open(path, create: false))
            }
        }

        private static func opened(_ reader: inout Reader?, _ path: String) throws(SQLiteError) -> Reader {
            if let reader { return reader }
            let opened = try Reader(database: try SQLiteVisitStore.open(path, create: false))
            reader = opened
            return opened
        }
    }
}
