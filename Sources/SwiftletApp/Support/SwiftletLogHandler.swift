import Glibc
import HTTPCore
import JSON
package import Logging

/// The one log handler of both front-ends: text lines by default, or one JSON object per line
/// (`LOG_FORMAT=json` on the dev server, `AWS_LAMBDA_LOG_FORMAT=JSON` under Lambda) with the
/// fields Lambda's own JSON logs have (`timestamp`, `level`, `message`, `requestId`), so that
/// CloudWatch Logs Insights reads ours as it reads AWS's; other metadata follows as strings.
/// Each line is written with one `write(2)`, so lines from two threads never interleave.
package struct SwiftletLogHandler: LogHandler {
    package enum Format: Sendable {
        case text
        case json
    }

    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level
    let label: String
    let format: Format
    let fd: Int32

    package init(label: String, format: Format, level: Logger.Level, fd: Int32 = 2) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.fd = fd
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let line = format == .json
            ? Self.jsonLine(level: event.level, message: "\(event.message)", metadata: merged, milliseconds: WallClock.nowMilliseconds())
            : textLine(level: event.level, message: "\(event.message)", metadata: merged)
        line.withUnsafeBytes { _ = Glibc.write(fd, $0.baseAddress, $0.count) }
    }

    /// `{"timestamp":"…Z","level":"INFO","message":"…","requestId":"…",…}` and a newline.
    static func jsonLine(level: Logger.Level, message: String, metadata: Logger.Metadata, milliseconds: Int64) -> [UInt8] {
        var writer = JSONWriter(capacity: 128 + message.utf8.count)
        writer.beginObject()
        writer.key("timestamp")
        writer.string(HTTPDate.iso8601(millisecondsSince1970: milliseconds))
        writer.key("level")
        writer.string(lambdaLevel(level))
        writer.key("message")
        writer.string(message)
        if let id = metadata["request_id"] {
            writer.key("requestId")
            writer.string("\(id)")
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where key != "request_id" {
            writer.key(key)
            writer.string("\(value)")
        }
        writer.endObject()
        return writer.bytes + [UInt8(ascii: "\n")]
    }

    func textLine(level: Logger.Level, message: String, metadata: Logger.Metadata) -> [UInt8] {
        var line = "\(HTTPDate.iso8601(millisecondsSince1970: WallClock.nowMilliseconds())) \(level) \(label): \(message)"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        return Array((line + "\n").utf8)
    }

    /// Lambda's level names (`TRACE`, `DEBUG`, `INFO`, `WARN`, `ERROR`, `FATAL`).
    static func lambdaLevel(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info, .notice: "INFO"
        case .warning: "WARN"
        case .error: "ERROR"
        case .critical: "FATAL"
        }
    }

    /// A level from its swift-log name or Lambda's (`AWS_LAMBDA_LOG_LEVEL` uses `WARN`, `FATAL`).
    package static func level(named text: String) -> Logger.Level? {
        switch text.lowercased() {
        case "warn": .warning
        case "fatal": .critical
        default: Logger.Level(rawValue: text.lowercased())
        }
    }
}
