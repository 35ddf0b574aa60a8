import CSQLite
import Glibc
import Synchronization
public import VisitStore

/// Visits in a SQLite file: the store `swiftlet serve` uses by default, so a laptop needs no AWS.
///
/// Two connections in WAL mode. Increments go to one writer thread (`SQLiteWriter`), which counts
/// all that are waiting in one `BEGIN IMMEDIATE` transaction and answers each after the commit, so
/// N increments from any number of connections (or processes on the same file) add exactly N.
/// Reads use the second connection on the caller's thread, behind a mutex; WAL lets them run while
/// a write is in progress. `synchronous=NORMAL` in WAL mode makes a committed increment survive the
/// process being killed (`kill -9`); only a power loss could take the last commits, which
/// `synchronous=FULL` would prevent at the cost of an fsync per commit.
public final class SQLiteVisitStore: VisitStore {
    private let reader: Reader
    private let lock = Mutex(())
    private let writer: SQLiteWriter
    public let path: String

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
    /// Throws a `SQLiteStoreError` saying what is wrong with the path or the file.
    public init(path: String) throws(SQLiteStoreError) {
        self.path = path
        try Self.createParentFolder(of: path)
        do throws(SQLiteError) {
            let database = try Self.open(path)
            let mode = try database.pragma("PRAGMA journal_mode=WAL")
            if mode?.lowercased() != "wal" {
                throw SQLiteError(code: SQLITE_ERROR, message: "could not switch to WAL (journal_mode is \(mode ?? "unknown"))")
            }
            try Self.migrations.migrate(database)
            writer = try SQLiteWriter(database: database)
            reader = try Reader(database: try Self.open(path))
        } catch {
            throw SQLiteStoreError.cannotOpen(path: path, error)
        }
        writer.start()
    }

    deinit {
        writer.stop()
    }

    private static func open(_ path: String) throws(SQLiteError) -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: path)
        database.setBusyTimeout(busyTimeout)
        try database.execute("PRAGMA synchronous=NORMAL")
        return database
    }

    public func increment(region: String) async throws(VisitStoreError) -> VisitCounts {
        let result = await withCheckedContinuation { continuation in
            if !writer.queue.submit(.init(region: region, continuation: continuation)) {
                continuation.resume(returning: .failure(.unavailable("the SQLite writer has stopped")))
            }
        }
        return try result.get()
    }

    public func counts() async throws(VisitStoreError) -> VisitCounts {
        try read { (reader) throws(SQLiteError) in VisitCounts(regions: try Self.readCounts(reader.select)) }
    }

    public func checkHealth(timeout: Duration) async throws(VisitStoreError) {
        let clock = ContinuousClock()
        let start = clock.now
        try read { (reader) throws(SQLiteError) in
            reader.database.setBusyTimeout(min(timeout, Self.busyTimeout))
            defer { reader.database.setBusyTimeout(Self.busyTimeout) }
            _ = try Self.readCounts(reader.select)
        }
        if clock.now - start > timeout { throw .timedOut(timeout) }
    }

    private func read<T: Sendable>(_ body: (Reader) throws(SQLiteError) -> T) throws(VisitStoreError) -> T {
        do throws(SQLiteError) {
            return try lock.withLock { _ throws(SQLiteError) -> T in try body(reader) }
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

    private static func createParentFolder(of path: String) throws(SQLiteStoreError) {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return }
        let folder = String(path[..<slash])
        guard !folder.isEmpty else { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in folder.split(separator: "/") {
            prefix += prefix.isEmpty || prefix.hasSuffix("/") ? String(part) : "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .cannotCreateFolder(path: prefix, errno: errno)
            }
        }
    }
}

extension SQLiteVisitStore {
    /// The read connection and its statement, used only under the store's mutex.
    final class Reader: @unchecked Sendable {
        let database: SQLiteDatabase
        let select: SQLiteStatement

        init(database: SQLiteDatabase) throws(SQLiteError) {
            self.database = database
            select = try database.prepare("SELECT region, count FROM visits")
        }
    }
}
