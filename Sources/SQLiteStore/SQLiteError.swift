import CSQLite

/// A failed SQLite call: the result code, SQLite's message and the SQL it ran (never the bound
/// values), so that a log line says what to fix.
package struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The extended result code (`SQLITE_BUSY`, `SQLITE_NOTADB`, ...).
    package let code: Int32
    package let message: String
    package let sql: String?

    init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    init(code: Int32, database: OpaquePointer?, sql: String? = nil) {
        let text = database.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        self.init(code: code, message: text, sql: sql)
    }

    /// The primary result code, without the extended bits.
    package var primaryCode: Int32 { code & 0xFF }

    /// The file is not a database, or is damaged.
    package var isCorruption: Bool { primaryCode == SQLITE_NOTADB || primaryCode == SQLITE_CORRUPT }

    package var description: String {
        var text = "SQLite error \(code) (\(message))"
        if let sql { text += " in `\(sql)`" }
        return text
    }
}
