import HTTPCore
import Logging

/// What every connection of a server shares: the responder, the configuration and the logger.
final class HTTPServerCore: Sendable {
    let responder: any HTTPResponder
    let configuration: HTTPServerConfiguration
    let logger: Logger
    /// The configuration's timeouts in nanoseconds, for every connection's deadlines.
    let deadlineLimits: ConnectionDeadline.Limits

    init(responder: any HTTPResponder, configuration: HTTPServerConfiguration, logger: Logger) {
        self.responder = responder
        self.configuration = configuration
        self.logger = logger
        deadlineLimits = ConnectionDeadline.Limits(configuration.timeouts)
    }
}
