import CSQLite
import Glibc
import Timekeeping

/// One connection to a SQLite file: opened read-write (created if missing), closed when released.
/// Not thread-safe by itself; `SQLiteVisitStore` keeps it behind a mutex.
final class SQLiteDatabase {
    let handle: OpaquePointer
    let path: String
    /// The fine busy handler's limit and the start of the wait in progress, in nanoseconds: the
    /// handler's context, made by `setFineBusyTimeout`, freed when the connection is.
    private var busyClock: UnsafeMutablePointer<UInt64>?

    /// Opens `path`; creates the file (not its folder) when it does not exist and `create` is set.
    init(path: String, create: Bool = true) throws(SQLiteError) {
        var database: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE | (create ? SQLITE_OPEN_CREATE : 0)
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
        // No handler after this: a statement finalized later must not reach a freed context.
        sqlite3_busy_handler(handle, nil, nil)
        sqlite3_close_v2(handle)
        busyClock?.deallocate()
    }

    /// Whether the file at `path` is no longer the one this connection has open (removed,
    /// renamed, or replaced): SQLite would go on writing to the old one, whose name is gone.
    /// One `stat` of the path (`SQLITE_FCNTL_HAS_MOVED`).
    var hasMoved: Bool {
        var moved: Int32 = 0
        guard sqlite3_file_control(handle, "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK else { return false }
        return moved != 0
    }

    /// Makes closing this connection leave the files at `path` alone. The last connection to a
    /// WAL database checkpoints and then deletes `<path>-wal` and `<path>-shm` by name; once the
    /// file has moved, those names belong to the file put back at the path, not to this one.
    /// SQLite's pager skips that step itself when it sees the file has moved; this
    /// (`SQLITE_FCNTL_PERSIST_WAL`: the WAL and its index stay) keeps it so whatever it sees.
    func leavePathAloneOnClose() {
        var persist: Int32 = 1
        _ = sqlite3_file_control(handle, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
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
        sqlite3_busy_timeout(handle, Int32(clamping: timeout.milliseconds))
    }

    /// Waits for another connection's lock in steps of 100 µs, up to `timeout` by the clock. SQLite's
    /// own busy timeout sleeps 1, 2, 5, 10, 15, 20 ms... between tries, so a lock held for one
    /// millisecond (the checkpointer's round, when the writer wants to start the WAL over) cost the
    /// writer, and every visit queued on it, up to 20 ms. The limit is time, not a count of tries:
    /// on a loaded machine a 100 µs sleep takes far longer, and 20,000 tries came to 20 s.
    func setFineBusyTimeout(_ timeout: Duration) {
        let clock = busyClock ?? {
            let made = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
            made.initialize(repeating: 0, count: 2)
            busyClock = made
            return made
        }()
        clock[0] = UInt64(max(0, timeout.nanoseconds))
        sqlite3_busy_handler(handle, { context, attempts in
            guard let clock = context?.assumingMemoryBound(to: UInt64.self) else { return 0 }
            let now = MonotonicTime.now().nanoseconds
            if attempts == 0 { clock[1] = now } // a new wait for a lock starts now
            guard now &- clock[1] < clock[0] else { return 0 }
            usleep(100)
            return 1
        }, UnsafeMutableRawPointer(clock))
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
