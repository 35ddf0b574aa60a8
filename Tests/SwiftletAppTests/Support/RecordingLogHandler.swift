import Logging
import Synchronization

/// A log that a test can read: every message logged through `logger`, in order, so that a test
/// waits for what the app says it did instead of sleeping.
final class LogRecord: Sendable {
    private let messages = Mutex<[String]>([])

    var logger: Logger {
        var logger = Logger(label: "test") { _ in RecordingLogHandler(record: self) }
        logger.logLevel = .info
        return logger
    }

    var lines: [String] { messages.withLock { $0 } }

    func append(_ message: String) { messages.withLock { $0.append(message) } }

    /// How many lines contain `text`.
    func count(of text: String) -> Int { lines.filter { $0.contains(text) }.count }
}

struct RecordingLogHandler: LogHandler {
    let record: LogRecord
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        record.append("\(event.level) \(event.message)")
    }
}
