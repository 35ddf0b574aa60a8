import Logging
import SwiftletApp

/// Sets up swift-log once for the process: `LOG_LEVEL` and `LOG_FORMAT` on the dev server,
/// `AWS_LAMBDA_LOG_LEVEL` and `AWS_LAMBDA_LOG_FORMAT` (set by Lambda's logging configuration)
/// under Lambda, falling back to the first pair. Both front-ends log through `SwiftletLogHandler`.
enum LoggerFactory {
    static func make(label: String, environment: Environment, lambda: Bool = false) throws -> Logger {
        let levelName = lambda ? "AWS_LAMBDA_LOG_LEVEL" : "LOG_LEVEL"
        let formatName = lambda ? "AWS_LAMBDA_LOG_FORMAT" : "LOG_FORMAT"
        var level = Logger.Level.info
        if let (name, text) = environment.first(of: [levelName, "LOG_LEVEL"]) {
            guard let parsed = SwiftletLogHandler.level(named: text) else {
                throw ConfigurationError.invalidValue(name: name, value: text, expected: "trace, debug, info, notice, warning, error or critical")
            }
            level = parsed
        }
        var format = SwiftletLogHandler.Format.text
        if let (name, text) = environment.first(of: [formatName, "LOG_FORMAT"]) {
            switch text.lowercased() {
            case "json": format = .json
            case "text": format = .text
            default: throw ConfigurationError.invalidValue(name: name, value: text, expected: "text or json")
            }
        }
        let chosen = (level, format)
        LoggingSystem.bootstrap { label in
            SwiftletLogHandler(label: label, format: chosen.1, level: chosen.0)
        }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
