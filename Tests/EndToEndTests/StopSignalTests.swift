import Glibc
import TestSupport
import Testing

/// SIGINT and SIGTERM stop every way of starting swiftlet gracefully, after its store has threads
/// and a written visit: the signals are blocked once, first thing in `main`, so no thread but the
/// one waiting for them can take one (a store thread taking it would end the process at once,
/// status 130 or 143, with no "stopping" line).
@Suite("stop signals", .serialized)
struct StopSignalTests {
    static let starts: [[String]] = [["serve", "--dev", "--port", "0"], ["--dev", "--port", "0"], ["--port", "0"], ["serve", "--port", "0"]]
    static let signals: [Int32] = [SIGINT, SIGTERM]

    /// The threads of `pid` that could take a stop signal: those whose mask lets SIGINT or SIGTERM
    /// through (`SigBlk` in /proc/PID/task/TID/status, bit n-1 for signal n). The kernel hands a
    /// process's signal to any such thread, so there must be none but the one waiting for them in
    /// `sigwait` (the kernel lifts the block while it waits: its `wchan` is `do_sigtimedwait`).
    static func threadsTakingStopSignals(_ pid: pid_t) -> [String] {
        guard let tasks = opendir("/proc/\(pid)/task") else { return ["cannot read /proc/\(pid)/task"] }
        defer { closedir(tasks) }
        var open: [String] = []
        while let entry = readdir(tasks) {
            let tid = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard tid.first?.isNumber == true, let status = readFile("/proc/\(pid)/task/\(tid)/status") else { continue }
            let text = String(decoding: status, as: UTF8.self)
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
                  let mask = UInt64(line.dropFirst("SigBlk:".count).trimmingPrefix { $0 == " " || $0 == "\t" }, radix: 16) else { continue }
            let stop: UInt64 = 1 << (UInt64(SIGINT) - 1) | 1 << (UInt64(SIGTERM) - 1)
            let wchan = readFile("/proc/\(pid)/task/\(tid)/wchan").map { String(decoding: $0, as: UTF8.self) } ?? ""
            if mask & stop != stop && !wchan.hasPrefix("do_sigtimedwait") {
                let name = (readFile("/proc/\(pid)/task/\(tid)/comm")).map { String(decoding: $0, as: UTF8.self) } ?? "?"
                open.append("\(tid) \(name.filter { $0 != "\n" }) SigBlk \(String(mask, radix: 16))")
            }
        }
        return open
    }

    @Test("the dev server, each way of starting it, each stop signal", arguments: starts, signals)
    func devServer(_ start: [String], _ signal: Int32) throws {
        let folder = TemporaryFolder()
        let child = try ChildProcess(SwiftletCLITests.binary, start + SwiftletCLITests.folders,
                                     environment: ["SWIFTLET_SQLITE_PATH": folder.file("data/visits.sqlite")])
        let log = try #require(child.waitForError(containing: "listening on http://127.0.0.1:"), "\(child.standardError)")
        let after = log[log.firstRange(of: "listening on http://127.0.0.1:")!.upperBound...]
        let port = try #require(UInt16(String(after.prefix { $0.isNumber })))
        let client = try RawClient(port: port)
        #expect(try client.request("POST", "/api/visits")?.status == 200, "the store is written to, its threads running")
        #expect(Self.threadsTakingStopSignals(child.pid) == [], "\(start)")
        child.signal(signal)
        let status = child.wait(timeout: .seconds(15))
        if status == nil { child.signal(SIGKILL) }
        #expect(status == 0, "\(start) signal \(signal): \(child.standardError)")
        #expect(child.standardError.contains("stopping") && child.standardError.contains("signal=\(signal)"), "\(child.standardError)")
        #expect(child.standardError.contains("stopped"), "\(child.standardError)")
    }

    @Test("the Lambda runtime, after a counted visit in SQLite, each stop signal", arguments: signals)
    func lambda(_ signal: Int32) throws {
        let root = try LambdaCLITests.TaskRoot()
        let api = try FakeRuntimeAPI()
        defer { api.stop() }
        let event = #"{"version":"2.0","rawPath":"/api/visits","rawQueryString":"","headers":{"host":"x.lambda-url.us-west-2.on.aws"},"requestContext":{"http":{"method":"POST","path":"/api/visits","sourceIp":"198.51.100.1"}},"isBase64Encoded":false}"#
        let id = api.enqueue(event)
        let folder = TemporaryFolder()
        let child = try ChildProcess(SwiftletCLITests.binary, ["lambda"], environment: LambdaCLITests().environment(root, api, [
            "SWIFTLET_STORE": "sqlite", "SWIFTLET_SQLITE_PATH": folder.file("visits.sqlite"), "SWIFTLET_METRICS": "off",
        ]))
        #expect(try #require(api.answer(for: id), "\(child.standardError)").json?["statusCode"]?.int == 200)
        #expect(api.waitForNextCalls(2))
        #expect(Self.threadsTakingStopSignals(child.pid) == [])
        child.signal(signal)
        let status = child.wait(timeout: .seconds(15))
        if status == nil { child.signal(SIGKILL) }
        #expect(status == 0, "signal \(signal): \(child.standardError)")
        #expect(child.standardError.contains("stopping"), "\(child.standardError)")
    }
}
