import CSQLite
import Glibc
import Synchronization
public import VisitStore

/// Visits in a SQLite file: the store `swiftlet serve` uses by default, so a laptop needs no AWS.
///
/// One connection, opened at start and kept behind a mutex; statements are prepared once. Each
/// increment is one `BEGIN IMMEDIATE` transaction in WAL mode, so N increments from any number of
/// connections (or processes on the same file) add exactly N. `synchronous=NORMAL` in WAL mode makes
/// a committed increment survive the process being killed (`kill -9`); only a power loss could
/// take the last commits, which `synchronous=FULL` would prevent at the cost of an fsync per visit.
///
/// SQLite calls block; they run on the calling thread (an event loop), where each takes microseconds.
public final class SQLiteVisitStore: VisitStore {
    private let connection: Connection
    private let lock = Mutex(())
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
            let database = try SQLiteDatabase(path: path)
            database.setBusyTimeout(Self.busyTimeout)
            let mode = try database.pragma("PRAGMA journal_mode=WAL")
            if mode?.lowercased() != "wal" {
                throw SQLiteError(code: SQLITE_ERROR, message: "could not switch to WAL (journal_mode is \(mode ?? "unknown"))")
            }
            try database.execute("PRAGMA synchronous=NORMAL")
            try Self.migrations.migrate(database)
            connection = try Connection(database: database)
        } catch {
            throw SQLiteStoreError.cannotOpen(path: path, error)
        }
    }

    public func increment(region: String) async throws(VisitStoreError) -> VisitCounts {
        try withConnection { (connection) throws(SQLiteError) in
            try connection.database.writeTransaction { () throws(SQLiteError) in
                try connection.increment.bind(region, at: 1)
                try connection.increment.run()
                return try connection.readCounts()
            }
        }
    }

    public func counts() async throws(VisitStoreError) -> VisitCounts {
        try withConnection { (connection) throws(SQLiteError) in try connection.readCounts() }
    }

    public func checkHealth(timeout: Duration) async throws(VisitStoreError) {
        let clock = ContinuousClock()
        let start = clock.now
        try withConnection { (connection) throws(SQLiteError) in
            connection.database.setBusyTimeout(min(timeout, Self.busyTimeout))
            defer { connection.database.setBusyTimeout(Self.busyTimeout) }
            _ = try connection.readCounts()
        }
        if clock.now - start > timeout { throw .timedOut(timeout) }
    }

    private func withConnection<T: Sendable>(_ body: (Connection) throws(SQLiteError) -> T) throws(VisitStoreError) -> T {
        do throws(SQLiteError) {
            return try lock.withLock { _ throws(SQLiteError) -> T in try body(connection) }
        } catch {
            throw error.isCorruption ? .corrupt(error.description) : .unavailable(error.description)
        }
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
    /// The open database and its prepared statements, used only under the store's mutex.
    final class Connection: @unchecked Sendable {
        let database: SQLiteDatabase
        let increment: SQLiteStatement
        let selectCounts: SQLiteStatement

        init(database: SQLiteDatabase) throws(SQLiteError) {
            self.database = database
            increment = try database.prepare("INSERT INTO visits (region, count) VALUES (?1, 1) ON CONFLICT (region) DO UPDATE SET count = count + 1")
            selectCounts = try database.prepare("SELECT region, count FROM visits")
        }

        func readCounts() throws(SQLiteError) -> VisitCounts {
            defer { selectCounts.reset() }
            var regions: [String: Int] = [:]
            while try selectCounts.step() {
                guard let region = selectCounts.text(at: 0) else {
                    throw SQLiteError(code: SQLITE_MISMATCH, message: "a visits row has no region", sql: selectCounts.sql)
                }
                regions[region] = selectCounts.int(at: 1)
            }
            return VisitCounts(regions: regions)
        }
    }
}
