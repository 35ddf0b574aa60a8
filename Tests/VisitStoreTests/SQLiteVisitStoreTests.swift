import TestSupport
import CSQLite
import Glibc
import SQLiteStore
import Testing
import VisitStore

/// What only the SQLite store does: files, folders, migrations, and how it fails.
@Suite("SQLite visit store")
struct SQLiteVisitStoreTests {
    @Test func countsSurviveReopening() async throws {
        let folder = TemporaryFolder()
        let path = folder.file("visits.sqlite")
        do {
            let store = try SQLiteVisitStore(path: path)
            for _ in 0..<3 { _ = try await store.increment(region: "local") }
        }
        let reopened = try SQLiteVisitStore(path: path)
        #expect(try await reopened.counts() == VisitCounts(regions: ["local": 3]))
    }

    /// A second store on a file another store has open is refused, so no increment can go
    /// around the first store's view of the counts; the file is free again once the first is gone.
    @Test func aSecondStoreOnTheSameFileIsRefused() async throws {
        let folder = TemporaryFolder()
        let path = folder.file("visits.sqlite")
        do {
            let first = try SQLiteVisitStore(path: path)
            _ = try await first.increment(region: "local")
            #expect {
                _ = try SQLiteVisitStore(path: path)
            } throws: { error in
                "\(error)".contains("in use by another swiftlet process")
            }
        }
        let again = try SQLiteVisitStore(path: path)
        #expect(try await again.counts() == VisitCounts(regions: ["local": 1]))
    }

    /// Every commit appends a page to the WAL, and a passive checkpoint never catches up with a
    /// writer that never pauses: without starting the WAL over, 3,000 commits made a 12 MB file.
    @Test func theWALStaysSmallUnderSteadyWrites() async throws {
        let folder = TemporaryFolder()
        let path = folder.file("visits.sqlite")
        let store = try SQLiteVisitStore(path: path, checkpointInterval: .milliseconds(10), walRestartFrames: 64)
        for _ in 0..<3_000 { _ = try await store.increment(region: "local") } // one commit each
        var status = stat()
        #expect(stat(path + "-wal", &status) == 0)
        #expect(Int(status.st_size) < 3_000 * 4_096 / 2, "WAL of \(status.st_size) bytes")
        #expect(try await store.counts().total == 3_000)
    }

    @Test func createsItsFolders() async throws {
        let folder = TemporaryFolder()
        let store = try SQLiteVisitStore(path: folder.file("a/b/c/visits.sqlite"))
        _ = try await store.increment(region: "local")
        #expect(access(folder.file("a/b/c/visits.sqlite"), F_OK) == 0)
    }

    @Test func usesWALAndRecordsItsSchemaVersion() throws {
        let folder = TemporaryFolder()
        let path = folder.file("visits.sqlite")
        _ = try SQLiteVisitStore(path: path)
        #expect(query(path, "PRAGMA journal_mode") == "wal")
        #expect(query(path, "SELECT max(version) FROM schema_version") == "1")
        // Opening again applies nothing twice.
        _ = try SQLiteVisitStore(path: path)
        #expect(query(path, "SELECT count(*) FROM schema_version") == "1")
    }

    @Test func aFileThatIsNotADatabaseIsAClearError() throws {
        let folder = TemporaryFolder()
        folder.write("visits.sqlite", Array(String(repeating: "this is not sqlite ", count: 100).utf8))
        #expect {
            _ = try SQLiteVisitStore(path: folder.file("visits.sqlite"))
        } throws: { error in
            "\(error)".contains("is not a database or is damaged")
        }
    }

    @Test func aFolderInTheWayIsAClearError() throws {
        let folder = TemporaryFolder()
        folder.write("file", [1, 2, 3])
        #expect {
            _ = try SQLiteVisitStore(path: folder.file("file/visits.sqlite"))
        } throws: { error in
            "\(error)".contains(folder.file("file"))
        }
        #expect {
            _ = try SQLiteVisitStore(path: folder.path)
        } throws: { error in
            "\(error)".contains("cannot open the SQLite database")
        }
    }

    /// A store whose table vanished under it answers with an error, not a made-up count.
    @Test func aBrokenDatabaseFailsTheCallsNotTheProcess() async throws {
        let folder = TemporaryFolder()
        let path = folder.file("visits.sqlite")
        let store = try SQLiteVisitStore(path: path)
        _ = try await store.increment(region: "local")
        _ = query(path, "DROP TABLE visits")
        await #expect(throws: VisitStoreError.self) { _ = try await store.increment(region: "local") }
        await #expect(throws: VisitStoreError.self) { _ = try await store.counts() }
        await #expect(throws: VisitStoreError.self) { try await store.checkHealth(timeout: .milliseconds(500)) }
    }

    /// Runs one statement on its own connection and returns the first column of the first row.
    func query(_ path: String, _ sql: String) -> String? {
        var database: OpaquePointer?
        guard sqlite3_open(path, &database) == SQLITE_OK else { return nil }
        defer { sqlite3_close(database) }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(database, sql, -1, &statement, nil) == SQLITE_OK else { return nil }
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) else { return nil }
        return String(cString: text)
    }
}
