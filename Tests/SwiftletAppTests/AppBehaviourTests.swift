import Glibc
import HTTPTypes
import SQLiteStore
import SwiftletApp
import TestSupport
import Testing
import Threads
import VisitStore

/// What the contract table cannot say in one row: counting, failures, and the data behind pages.
@Suite("app behaviour")
struct AppBehaviourTests {
    @Test func homeCountsAndShowsEveryRegion() async throws {
        let store = InMemoryVisitStore(initial: VisitCounts(regions: ["us-west-2": 5]))
        let app = try AppHarness(store: store, region: "us-east-1")
        let page = try await app.direct(.get, "/")
        #expect(page.text.contains(#"<p class="total" data-visits>6</p>"#))
        #expect(page.text.contains(#"<li class="serving"><span class="region">us-east-1</span> <span class="count">1</span></li>"#))
        #expect(page.text.contains(#"<li><span class="region">us-west-2</span> <span class="count">5</span></li>"#))
        #expect(page.text.contains("served from <strong>us-east-1</strong>"))
        // HEAD and the GET API read without counting; POST counts.
        _ = try await app.direct(.head, "/")
        #expect(try await app.direct(.get, "/api/visits").text == #"{"visits":6,"regions":{"us-east-1":1,"us-west-2":5}}"#)
        #expect(try await app.direct(.post, "/api/visits").text == #"{"visits":7,"regions":{"us-east-1":2,"us-west-2":5}}"#)
        #expect(try await store.counts().total == 7)
    }

    @Test func homeSaysWhereItRuns() async throws {
        let app = try AppHarness(store: InMemoryVisitStore())
        #expect(try await app.direct(.get, "/").text.contains("<h1>Hello from Swift on the dev server.</h1>"))
    }

    /// A 404 page names the path asked for (escaped: it is the visitor's text) and links home.
    @Test func notFoundNamesThePathAndLinksHome() async throws {
        let app = try AppHarness(store: InMemoryVisitStore())
        let page = try await app.direct(.get, "/no/%3Cb%3E<i>\"x\"?q=1")
        #expect(page.status == 404)
        #expect(page.text.contains("Nothing is served at <code>/no/%3Cb%3E&lt;i&gt;&quot;x&quot;</code>"), "\(page.text)")
        #expect(page.text.contains(#"<a class="button" href="/">"#))
    }

    @Test func regionNamesAreEscapedInPagesAndJSON() async throws {
        let app = try AppHarness(store: InMemoryVisitStore(), region: "<script>\"x\"")
        let page = try await app.direct(.get, "/")
        #expect(!page.text.contains("<script>\"x\""))
        #expect(page.text.contains("&lt;script&gt;&quot;x&quot;"))
        #expect(try await app.direct(.get, "/api/visits").text == #"{"visits":1,"regions":{"\u003cscript>\"x\"":1}}"#)
    }

    /// A failing store answers 503 with the request id, never a count, on every route that needs it.
    @Test(arguments: [(HTTPRequest.Method.get, "/"), (.get, "/api/visits"), (.post, "/api/visits"), (.get, "/health"), (.head, "/health")])
    func storeFailureIs503(method: HTTPRequest.Method, path: String) async throws {
        let app = try AppHarness(store: FailingVisitStore())
        let response = try await app.direct(method, path)
        #expect(response.status == 503)
        let id = try #require(response.header("X-Request-Id"))
        if method != .head {
            #expect(response.text.contains(id))
            #expect(!response.text.contains("disk I/O"))
        }
        if path == "/health" { #expect(response.text.hasPrefix(#"{"status":"unavailable""#)) }
    }

    /// Pages and JSON of 1 KiB or more are gzipped at the origin (CloudFront's CachingDisabled
    /// behaviours compress nothing), with `Vary: Accept-Encoding`; smaller ones are left alone.
    @Test func pagesAreGzippedWhenAccepted() async throws {
        let app = try AppHarness(store: InMemoryVisitStore(initial: VisitCounts(regions: ["us-west-2": 5])), region: "us-east-1")
        let plain = try await app.direct(.head, "/")
        let packed = try await app.direct(.head, "/", headers: [("Accept-Encoding", "gzip, deflate, br")])
        #expect(plain.body.count >= 1024)
        #expect(plain.header("Content-Encoding") == nil && plain.header("Vary") == "Accept-Encoding")
        #expect(packed.header("Content-Encoding") == "gzip" && packed.header("Vary") == "Accept-Encoding")
        #expect(packed.body.count * 10 < plain.body.count * 6)
        #expect(packed.withoutRequestID.hasSuffix(plain.withoutRequestID.split(separator: "\n\n", maxSplits: 1).last.map(String.init) ?? "-"))
        let missing = try await app.direct(.get, "/nothing-here", headers: [("Accept-Encoding", "gzip")])
        #expect(missing.status == 404 && missing.header("Content-Encoding") == "gzip")
        // Refused gzip, and a small JSON answer: as they were.
        #expect(try await app.direct(.head, "/", headers: [("Accept-Encoding", "gzip;q=0")]).header("Content-Encoding") == nil)
        let json = try await app.direct(.get, "/api/visits", headers: [("Accept-Encoding", "gzip")])
        #expect(json.header("Content-Encoding") == nil && json.header("Vary") == nil && json.text.hasPrefix(#"{"visits":"#))
    }

    @Test func gzipRoundTripsToTheIdentityBytes() async throws {
        let app = try AppHarness()
        for name in ["app.css", "app.js", "robots.txt", "favicon.ico"] {
            let path = try #require(RouteContractTests.assets.path(of: name))
            let plain = try await app.direct(.get, path)
            let packed = try await app.direct(.get, path, headers: [("Accept-Encoding", "gzip")])
            if packed.header("Content-Encoding") == "gzip" {
                #expect(packed.body.count < plain.body.count)
                #expect(inflateStream(packed.body) == plain.body, "\(name)")
            }
        }
        #expect(try await app.direct(.get, RouteContractTests.css, headers: [("Accept-Encoding", "gzip")]).header("Content-Encoding") == "gzip")
    }

    /// Nothing outside `Public/` is ever served, whatever the path spells.
    @Test(arguments: [
        "/assets/../Package.swift", "/assets/%2e%2e/Package.swift", "/assets/..%2fPackage.swift", "/assets/%2e%2e%2fPackage.swift",
        "/../Package.swift", "/%2e%2e/Package.swift", "/assets/app.css%00", "/assets/..\\Package.swift", "/assets/%5c..%5cPackage.swift",
        "/assets//etc/passwd", "/assets/%2fetc%2fpasswd", "/Package.swift", "/..", "/assets/", "/assets/.", "/.git/config",
    ])
    func pathTraversalFinds404(path: String) async throws {
        let app = try AppHarness()
        let response = try await app.direct(.get, path)
        #expect(response.status == 404 || response.status == 400)
        #expect(!response.text.contains("PackageDescription"))
        try app.overTheWire { client, _ in
            let wire = try #require(try client.request("GET", path))
            #expect(wire.status == 404 || wire.status == 400, "\(path) → \(wire.status)")
            #expect(!wire.text.contains("PackageDescription") && !wire.text.contains("root:"))
        }
    }

    @Test func symlinksOutOfPublicAreNotServed() async throws {
        let folder = TemporaryFolder()
        _ = system("mkdir -p '\(folder.path)/public/inner' && printf 'ok' > '\(folder.path)/public/inner/a.txt' && ln -s /etc/passwd '\(folder.path)/public/passwd.txt' && ln -s inner/a.txt '\(folder.path)/public/b.txt'")
        let catalog = try AssetCatalog(folder: folder.file("public"))
        #expect(catalog.assets.map(\.logicalName) == ["b.txt", "inner/a.txt"])
    }

    @Test func largeFilesAreSentFromDiskNotMemory() async throws {
        let folder = TemporaryFolder()
        _ = system("mkdir -p '\(folder.path)/public' && head -c 3000000 /dev/urandom > '\(folder.path)/public/big.bin' && cp '\(Repository.publicFolder)'/* '\(folder.path)/public/'")
        let catalog = try AssetCatalog(folder: folder.file("public"))
        let big = try #require(catalog.assets.first { $0.logicalName == "big.bin" })
        #expect(big.bytes == nil && big.file != nil && big.size == 3_000_000)
        let app = try AppHarness(publicFolder: folder.file("public"))
        try app.overTheWire { client, _ in
            let response = try #require(try client.request("GET", big.hashedPath))
            #expect(response.status == 200)
            #expect(response.body.count == 3_000_000)
            #expect(response.header("Content-Type") == "application/octet-stream")
        }
    }

    /// 8 clients × 500 POSTs through the real server onto one SQLite file add exactly 4,000.
    @Test func concurrentPostsOverTheWireAreExact() throws {
        let folder = TemporaryFolder()
        let store = try SQLiteVisitStore(path: folder.file("visits.sqlite"))
        let app = try AppHarness(store: store)
        try app.overTheWire { _, port in
            let failures = Failures()
            let threads = try (0..<8).map { _ in
                try PosixThread(name: "test-client") {
                    guard let client = try? RawClient(port: port) else { failures.add(); return }
                    for _ in 0..<500 where (try? client.request("POST", "/api/visits"))??.status != 200 { failures.add() }
                }
            }
            threads.forEach { $0.join() }
            #expect(failures.count == 0)
            let client = try RawClient(port: port)
            #expect(try client.request("GET", "/api/visits")?.text.hasPrefix(#"{"visits":4000,"#) == true)
        }
    }
}
