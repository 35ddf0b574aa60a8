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
