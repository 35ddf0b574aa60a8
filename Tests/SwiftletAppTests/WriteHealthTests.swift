import Glibc
import JSON
import SQLiteStore
import TestSupport
import Testing
import VisitStore

/// `/health` tells the truth about writes: with the disk full, visits get 503 and so must
/// `/health`, though the store still answers reads; once writes work again, both recover by
/// themselves, with nothing acknowledged lost.
@Suite("health sees failed writes")
struct WriteHealthTests {
    static let longName = String(repeating: "x", count: 180)

    @Test("disk full (SQLite's max_page_count): POST and /health 503 with the reason; space back: both 200, counts intact")
    func diskFull() async throws {
        let folder = TemporaryFolder()
        let store = try SQLiteVisitStore(path: folder.file("visits.sqlite"))
        // Rows of long region names fill pages fast; then the file may not grow, and new rows
        // are refused as on a full disk.
        var acknowledged = 0
        for index in 0..<40 {
            _ = try await store.increment(region: "filler-\(index)-\(Self.longName)")
            acknowledged += 1
        }
        let pages = try store.limitPages(0)
        _ = try store.limitPages(pages)
        var filled = false
        for index in 40..<200 where !filled {
            do {
                _ = try await store.increment(region: "filler-\(index)-\(Self.longName)")
                acknowledged += 1
            } catch {
                filled = true
            }
        }
        #expect(filled, "the file never filled up")

        let app = try AppHarness(store: store, region: "eu-west-1-\(Self.longName)", healthCacheDuration: .seconds(30))
        #expect(try await app.direct(.get, "/health").status == 200) // reads still work
        #expect(try await app.direct(.post, "/api/visits").status == 503)
        let health = try await app.direct(.get, "/health")
        #expect(health.status == 503, "a cached ok hid the failed write")
        #expect(try JSONValue.parse(health.body)["reason"]?.string == "visits cannot be written")
        #expect(!health.text.contains("sqlite") && !health.text.contains(folder.path))
        #expect(try await app.direct(.get, "/").status == 503)

        _ = try store.limitPages(1 << 30) // space again
        // A visit written again clears the cached failure at once (the cache here lasts 30 s).
        #expect(try await app.direct(.post, "/api/visits").status == 200)
        #expect(try await app.direct(.get, "/health").status == 200)
        let counts = try await store.counts()
        #expect(counts.total == acknowledged + 1)
    }

    @Test("after a failed write, /health probes with a write of its own and recovers without a visit")
    func probeRecovers() async throws {
        let folder = TemporaryFolder()
        let store = try SQLiteVisitStore(path: folder.file("visits.sqlite"))
        for index in 0..<40 { _ = try await store.increment(region: "filler-\(index)-\(Self.longName)") }
        _ = try store.limitPages(try store.limitPages(0))
        for index in 40..<200 {
            if (try? await store.increment(region: "filler-\(index)-\(Self.longName)")) == nil { break }
        }
        let before = try await store.counts()
        let app = try AppHarness(store: store, region: "eu-west-1-\(Self.longName)", healthCacheDuration: .zero)
        #expect(try await app.direct(.post, "/api/visits").status == 503)
        #expect(try await app.direct(.get, "/health").status == 503) // the probe fails too
        _ = try store.limitPages(1 << 30)
        #expect(try await app.direct(.get, "/health").status == 200) // the probe now succeeds
        #expect(try await app.direct(.get, "/health").status == 200)
        let after = try await store.counts()
        #expect(after.total == before.total, "the probe counted a visit")
    }

    /// A real full disk, not SQLite's page limit: a 2 MiB tmpfs under the file, filled up by a file
    /// beside it. Mounting needs root (CI runs as root); elsewhere the test is skipped, saying why.
    @Test("a real full disk (a tmpfs): POSTs 503 and /health 503 as long as they fail; space back: both 200",
          .enabled(if: geteuid() == 0, "mounting a tmpfs needs root: run the tests as root to include this one"))
    func realFullDisk() async throws {
        let folder = TemporaryFolder()
        let mount = folder.file("small")
        _ = mkdir(mount, 0o755)
        try #require(system("mount -t tmpfs -o size=2m tmpfs '\(mount)'") == 0, "cannot mount a tmpfs at \(mount)")
        defer { _ = system("umount '\(mount)'") }
        let store = try SQLiteVisitStore(path: mount + "/visits.sqlite")
        // A failed visit is a failed check, cached for 30 s here: every check below reads that
        // evidence, and a visit that works again forgets it.
        let app = try AppHarness(store: store, region: "us-east-1", healthCacheDuration: .seconds(30))
        #expect(try await app.direct(.post, "/api/visits").status == 200)
        var acknowledged = 1
        // Whatever space is left goes to a filler file, then visits from new regions grow the
        // database until one cannot be written.
        _ = system("dd if=/dev/zero of='\(mount)/filler' bs=4k 2>/dev/null")
        var refused = false
        for index in 0..<2_000 where !refused {
            let wide = try AppHarness(store: store, region: "r\(index)-\(Self.longName)", healthCacheDuration: .seconds(30))
            let post = try await wide.direct(.post, "/api/visits")
            if post.status == 200 { acknowledged += 1; continue }
            refused = true
            #expect(post.status == 503)
            #expect(try await wide.direct(.get, "/health").status == 503, "/health answered other than 503 right after the refused visit")
        }
        try #require(refused, "the disk never filled")
        // For the next 3 s the disk stays full (space SQLite gives back, as a rolled-back commit
        // or a restarted WAL does, is taken again), and after each POST that fails, /health is
        // asked: it must be 503 every time. (When it probed with a write of its own instead of
        // reading the failed visit as a failed check, the probe sometimes found a moment's space.)
        let until = ContinuousClock.now + .seconds(3)
        var checks = 0
        var healthyAfterFailure = 0
        var filler = 0
        while ContinuousClock.now < until {
            filler += 1
            _ = system("dd if=/dev/zero of='\(mount)/filler-\(filler)' bs=4k 2>/dev/null")
            let post = try await app.direct(.post, "/api/visits")
            // Some POSTs succeed: a commit that fits in WAL space SQLite already holds needs no
            // new blocks. The ones that fail are what /health must reflect.
            if post.status == 200 { acknowledged += 1; continue }
            #expect(post.status == 503)
            checks += 1
            if try await app.direct(.get, "/health").status != 503 { healthyAfterFailure += 1 }
        }
        #expect(healthyAfterFailure == 0, "/health answered other than 503 after \(healthyAfterFailure) of \(checks) failed POSTs")
        _ = system("rm -f '\(mount)'/filler-*")
        _ = unlink(mount + "/filler") // space again
        #expect(try await app.direct(.post, "/api/visits").status == 200)
        acknowledged += 1
        #expect(try await app.direct(.get, "/health").status == 200)
        #expect(try await store.counts().total == acknowledged)
    }
}
