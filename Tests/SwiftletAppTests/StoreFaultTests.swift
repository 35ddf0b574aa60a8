import Glibc
import JSON
import SQLiteStore
import TestSupport
import Testing
import VisitStore

/// The SQLite file locked by another process (a second writer holding an exclusive transaction):
/// visits and `/health` answer 503 within the busy timeout, each with a log line, and both come
/// back by themselves when the lock goes, with no acknowledged visit lost.
@Suite("store faults", .serialized)
struct StoreFaultTests {
    @Test("the file locked by another process: 503, then recovery by itself")
    func lockedByAnotherProcess() async throws {
        let folder = TemporaryFolder()
        let path = folder.file("visits.sqlite")
        let store = try SQLiteVisitStore(path: path)
        // A health check bounded by 5 s, not 500 ms: the one after the lock is gone must show
        // the recovery, not a loaded machine (CI's AddressSanitizer run) missing a tight bound.
        let app = try AppHarness(store: store, healthCacheDuration: .zero, healthTimeout: .seconds(5))
        for _ in 0..<3 { #expect(try await app.direct(.post, "/api/visits").status == 200) }

        // Another process takes the write lock and keeps it until it is killed.
        let script = "import sqlite3, sys, time\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\nc.execute('BEGIN EXCLUSIVE')\nprint('locked', flush=True)\ntime.sleep(60)\n"
        folder.write("lock.py", Array(script.utf8))
        let holder = try ChildProcess("/usr/bin/env", ["python3", folder.file("lock.py"), path])
        let locked = try await onOwnThread { () -> Bool in
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                if holder.standardOutput.contains("locked") { return true }
                usleep(10_000)
            }
            return false
        }
        #expect(locked, "the lock holder did not start: \(holder.standardError)")

        let started = ContinuousClock.now
        let post = try await app.direct(.post, "/api/visits")
        #expect(post.status == 503)
        #expect(try await app.direct(.get, "/health").status == 503)
        // Each waits the 2 s busy timeout; the margin is for a busy test run. The lock is held for
        // 60 s, so only the busy timeout can end them this soon.
        #expect(ContinuousClock.now - started < .seconds(30), "bounded by the busy timeout")

        holder.signal(SIGKILL)
        _ = try await onOwnThread { holder.wait() }
        #expect(try await app.direct(.get, "/health").status == 200)
        let after = try await app.direct(.post, "/api/visits")
        #expect(after.status == 200)
        #expect(try JSONValue.parse(after.body)["visits"]?.int == 4, "3 acknowledged before, 1 now, none lost or made up")
    }

    /// The data folder removed, and a file put where it was, so the store cannot put its file
    /// back: visits and `/health` answer 503 (the file is gone from disk, and a restart would
    /// lose what it holds), and both recover by themselves once the way is clear.
    @Test("the data folder removed and blocked: 503, then recovery by itself")
    func dataFolderRemovedAndBlocked() async throws {
        let folder = TemporaryFolder()
        let store = try SQLiteVisitStore(path: folder.file("data/visits.sqlite"))
        let app = try AppHarness(store: store, healthCacheDuration: .zero)
        for _ in 0..<3 { #expect(try await app.direct(.post, "/api/visits").status == 200) }
        #expect(system("rm -rf '\(folder.file("data"))'") == 0)
        folder.write("data", [1])

        #expect(try await app.direct(.post, "/api/visits").status == 503)
        let health = try await app.direct(.get, "/health")
        #expect(health.status == 503)
        #expect(health.text.contains("visits cannot be written"), "\(health.text)")

        #expect(unlink(folder.file("data")) == 0)
        #expect(try await app.direct(.get, "/health").status == 200)
        let after = try await app.direct(.post, "/api/visits")
        #expect(try JSONValue.parse(after.body)["visits"]?.int == 4, "3 acknowledged before, 1 now, none lost or made up")
    }
}
