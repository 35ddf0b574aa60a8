/// Brings a database's schema up to date: numbered steps, each applied once in its own transaction
/// and recorded in `schema_version`, so that a newer binary upgrades an older file in place.
struct SQLiteMigrator {
    /// One schema change; `version` numbers start at 1 and never change once shipped.
    struct Migration {
        let version: Int
        let sql: String
    }

    let migrations: [Migration]

    /// Applies every migration the file has not seen; returns the version the file is now at.
    @discardableResult
    func migrate(_ database: SQLiteDatabase) throws(SQLiteError) -> Int {
        try database.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)")
        let current = try database.prepare("SELECT coalesce(max(version), 0) FROM schema_version")
        let applied = try current.step() ? current.int(at: 0) : 0
        current.reset()
        var version = applied
        for migration in migrations.sorted(by: { $0.version < $1.version }) where migration.version > applied {
            try database.writeTransaction { () throws(SQLiteError) in
                try database.execute(migration.sql)
                let record = try database.prepare("INSERT INTO schema_version (version) VALUES (?)")
                try record.bind(migration.version, at: 1)
                try record.run()
            }
            version = migration.version
        }
        return version
    }
}
