import Logging

/// Sets up swift-log once for the process from `LOG_LEVEL`.
enum LoggerFactory {
    static func make(label: String, environment: Environment) throws -> Logger {
        var level = Logger.Level.info
        if let text = environment["LOG_LEVEL"] {
            guard let parsed = Logger.Level(rawValue: text.lowercased()) else {
                throw ConfigurationError.invalidValue(name: "LOG_LEVEL", value: text, expected: "trace, debug, info, notice, warning, error or critical")
            }
            level = parsed
        }
        let chosen = level
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = chosen
            return handler
        }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
