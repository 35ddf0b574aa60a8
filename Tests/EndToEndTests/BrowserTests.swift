import Glibc
import TestSupport
import Testing

/// The home page as a person sees it: headless Chromium renders it from the real server, and the
/// screenshot must show the stylesheet applied (page, card and accent colours), which also proves
/// the hashed CSS was served and allowed by the Content-Security-Policy.
@Suite("home page in a real browser")
struct BrowserTests {
    static func chromium() -> String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { access($0, X_OK) == 0 }
    }

    @Test(.timeLimit(.minutes(2)))
    func homePageLooksRight() throws {
        let browser = try #require(Self.chromium(), "install chromium (bash scripts/setup --test)")
        let cli = SwiftletCLITests()
        let (server, port) = try cli.startServer(["--store", "memory"], environment: ["LOG_LEVEL": "notice"])
        defer { server.signal(SIGKILL) }
        let folder = TemporaryFolder()
        let shot = folder.file("home.png")
        let chrome = try ChildProcess(browser, [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--user-data-dir=\(folder.file("profile"))", "--window-size=1280,900", "--virtual-time-budget=3000",
            "--screenshot=\(shot)", "http://127.0.0.1:\(port)/",
        ], environment: ["HOME": folder.path])
        #expect(chrome.wait(timeout: .seconds(90)) == 0, "\(chrome.standardError)")
        let bytes = try #require(readFile(shot), "no screenshot written")
        let image = try #require(PNGImage(bytes), "screenshot is not a PNG we can read")
        #expect(image.width == 1280 && image.height == 900)
        // --paper background, white cards, --accent count and button: only with app.css applied.
        #expect(image.share(of: 0xf6f4ef, tolerance: 3) > 0.30, "page background")
        #expect(image.share(of: 0xffffff, tolerance: 2) > 0.15, "cards and header")
        #expect(image.share(of: 0xf05138, tolerance: 16) > 0.004, "accent colour of the count and the button")
        #expect(image.share(of: 0x1b1f24, tolerance: 10) > 0.005, "the dark code block and headings")
    }
}

/// CORS as a browser enforces it: a page served by one server (Python's `http.server`, on its own
/// port) `fetch`es `POST /api/visits` from swiftlet on another, with a JSON content type, so the
/// browser sends a preflight first. A listed origin gets the count; an unlisted one is blocked by
/// the browser, and no visit is counted.
@Suite("CORS in a real browser", .serialized)
struct BrowserCORSTests {
    /// Serves `folder` on a free loopback port; the process and its port.
    func pageServer(_ folder: TemporaryFolder) throws -> (ChildProcess, UInt16) {
        let child = try ChildProcess("/usr/bin/env", ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", folder.path])
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let out = child.standardOutput
            if let range = out.firstRange(of: " port "), let port = UInt16(String(out[range.upperBound...].prefix { $0.isNumber })) {
                return (child, port)
            }
            usleep(10_000)
        }
        child.signal(SIGKILL)
        throw Failure(message: "http.server did not start: \(child.standardError)")
    }

    struct Failure: Error { let message: String }

    /// The page's title after Chromium ran its script.
    func title(browser: String, page: String, profile: TemporaryFolder) throws -> String {
        let chrome = try ChildProcess(browser, [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile.file("profile"))",
            "--virtual-time-budget=5000", "--dump-dom", page,
        ], environment: ["HOME": profile.path])
        #expect(chrome.wait(timeout: .seconds(90)) == 0, "\(chrome.standardError)")
        let dom = chrome.standardOutput
        guard let open = dom.firstRange(of: "<title>"), let close = dom.firstRange(of: "</title>") else { return "no title in: \(dom.prefix(300))" }
        return String(dom[open.upperBound..<close.lowerBound])
    }

    @Test("a listed origin reads the count; an unlisted one is blocked and counts nothing", .timeLimit(.minutes(3)))
    func listedAndUnlisted() throws {
        let browser = try #require(BrowserTests.chromium(), "install chromium (bash scripts/setup --test)")
        let folder = TemporaryFolder()
        let (pages, pagePort) = try pageServer(folder)
        defer { pages.signal(SIGKILL) }
        for (allowed, expected) in [("http://127.0.0.1:\(pagePort)", "counted 1"), ("https://elsewhere.example", "blocked")] {
            let (server, port) = try SwiftletCLITests().startServer(["--store", "memory"], environment: ["LOG_LEVEL": "notice", "SWIFTLET_CORS_ORIGINS": allowed])
            defer { server.signal(SIGKILL) }
            let script = """
                <!doctype html><html><head><title>pending</title></head><body><script>
                fetch("http://127.0.0.1:\(port)/api/visits", {method: "POST", headers: {"Content-Type": "application/json"}, body: "{}"})
                  .then(r => r.json()).then(j => { document.title = "counted " + j.visits; })
                  .catch(() => { document.title = "blocked"; });
                </script></body></html>
                """
            folder.write("index.html", Array(script.utf8))
            #expect(try title(browser: browser, page: "http://127.0.0.1:\(pagePort)/index.html", profile: TemporaryFolder()) == expected, "allowed \(allowed)")
            let counts = try RawClient(port: port).request("GET", "/api/visits")?.text
            #expect(counts == (expected == "blocked" ? #"{"visits":0,"regions":{}}"# : #"{"visits":1,"regions":{"local":1}}"#), "the refused preflight kept the POST from being sent")
        }
    }
}
