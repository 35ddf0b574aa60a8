import CSQLite
import Glibc

/// One connection to a SQLite file: opened read-write (created if missing), closed when released.
/// Not thread-safe by itself; `SQLiteVisitStore` keeps it behind a mutex.
final class SQLiteDatabase {
    let handle: OpaquePointer
    let path: String

    /// Opens `path`, creating the file (not its folder) when it does not exist.
    init(path: String) throws(SQLiteError) {
        var database: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let code = sqlite3_open_v2(path, &database, flags, nil)
        guard code == SQLITE_OK, let database else {
            let error = SQLiteError(code: code, database: database)
            sqlite3_close_v2(database)
            throw error
        }
        self.handle = database
        self.path = path
        if sqlite3_db_readonly(database, "main") == 1 {
            throw SQLiteError(code: SQLITE_READONLY, message: "the file is read-only")
        }
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows (pragmas, schema changes).
    func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw SQLiteError(code: code, message: text, sql: sql)
        }
    }

    func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        try SQLiteStatement(database: handle, sql: sql)
    }

    /// How long a statement waits for another connection's lock before failing with `SQLITE_BUSY`.
    func setBusyTimeout(_ timeout: Duration) {
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(handle, Int32(clamping: milliseconds))
    }

    /// Waits for another connection's lock in steps of 100 µs, up to `timeout`. SQLite's own busy
    /// timeout sleeps 1, 2, 5, 10, 15, 20 ms... between tries, so a lock held for one millisecond
    /// (the checkpointer's round, when the writer wants to start the WAL over) cost the writer,
    /// and every visit queued on it, up to 20 ms.
    func setFineBusyTimeout(_ timeout: Duration) {
        let tries = Int(timeout.components.seconds) * 10_000 + Int(timeout.components.attoseconds / 100_000_000_000_000)
        sqlite3_busy_handler(handle, { context, attempts in
            guard Int(attempts) < Int(bitPattern: context) else { return 0 }
            usleep(100)
            return 1
        }, UnsafeMutableRawPointer(bitPattern: max(tries, 1)))
    }

    /// The value of a pragma that returns one row of one column (`PRAGMA journal_mode=WAL`).
    func pragma(_ sql: String) throws(SQLiteError) -> String? {
        let statement = try prepare(sql)
        defer { statement.reset() }
        return try statement.step() ? statement.text(at: 0) : nil
    }

    /// Runs `body` in a transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so that
    /// two writers never deadlock upgrading a read lock; rolls back when `body` throws.
    func writeTransaction<T>(_ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}
