import Glibc
import JSON
import Logging
import SwiftletApp
import Testing

/// One log handler for both front-ends: JSON lines as Lambda's own, or text.
@Suite("log handler")
struct LogHandlerTests {
    /// What `body` logs through a handler writing into a pipe.
    func lines(_ format: SwiftletLogHandler.Format, level: Logger.Level = .info, _ body: (Logger) -> Void) -> [String] {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { Issue.record("pipe"); return [] }
        var logger = Logger(label: "test") { label in SwiftletLogHandler(label: label, format: format, level: level, fd: fds[1]) }
        logger.logLevel = level
        body(logger)
        close(fds[1])
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fds[0], &buffer, buffer.count)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        close(fds[0])
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test("JSON: one object per line with timestamp, level, message, requestId and the rest of the metadata")
    func json() throws {
        let lines = lines(.json) { logger in
            logger.info("GET / 200", metadata: ["request_id": "8476a536", "us": "12"])
            logger.warning("a \"quoted\"\nmessage")
            logger.debug("not shown at info")
        }
        #expect(lines.count == 2)
        let first = try JSONValue.parse(Array(lines[0].utf8))
        #expect(first["level"]?.string == "INFO")
        #expect(first["message"]?.string == "GET / 200")
        #expect(first["requestId"]?.string == "8476a536")
        #expect(first["us"]?.string == "12")
        #expect(first["request_id"] == nil)
        let stamp = try #require(first["timestamp"]?.string)
        #expect(stamp.count == 24 && stamp.hasSuffix("Z") && stamp.contains("T"))
        let second = try JSONValue.parse(Array(lines[1].utf8))
        #expect(second["level"]?.string == "WARN")
        #expect(second["message"]?.string == "a \"quoted\"\nmessage")
    }

    @Test("text: one line each; Lambda's level names are understood")
    func text() {
        let lines = lines(.text) { logger in logger.error("boom", metadata: ["request_id": "r1"]) }
        #expect(lines.count == 1)
        #expect(lines[0].contains("error test: boom request_id=r1"))
        #expect(SwiftletLogHandler.level(named: "WARN") == .warning)
        #expect(SwiftletLogHandler.level(named: "FATAL") == .critical)
        #expect(SwiftletLogHandler.level(named: "debug") == .debug)
        #expect(SwiftletLogHandler.level(named: "loud") == nil)
    }
}
