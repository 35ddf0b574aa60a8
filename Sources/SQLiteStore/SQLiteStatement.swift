import CSQLite

/// A prepared statement, compiled once and reused; finalized when it is released. Not thread-safe:
/// it belongs to its `SQLiteDatabase`, which callers guard.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let database: OpaquePointer
    let sql: String

    init(database: OpaquePointer, sql: String) throws(SQLiteError) {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(database, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw SQLiteError(code: code, database: database, sql: sql)
        }
        self.handle = statement
        self.database = database
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    func bind(_ value: String, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_text(handle, index, value, -1, csqlite_transient()))
    }

    func bind(_ value: Int, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, index, sqlite3_int64(value)))
    }

    /// Steps once: `true` when a row is ready to read, `false` when the statement is done.
    func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError(code: code, database: database, sql: sql)
        }
    }

    /// Runs a statement that returns no rows, then resets it for the next use.
    func run() throws(SQLiteError) {
        defer { reset() }
        while try step() {}
    }

    func int(at column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func text(at column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        return String(cString: text)
    }

    /// Makes the statement ready to run again and releases its read snapshot.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    private func check(_ code: Int32) throws(SQLiteError) {
        guard code == SQLITE_OK else { throw SQLiteError(code: code, database: database, sql: sql) }
    }
}
