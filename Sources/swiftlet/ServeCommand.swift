import ArgumentParser
import CLinux
import HTTPCore
import HTTPServer
import LambdaRuntime
import Sockets
import SwiftletApp
import Logging

/// `swiftlet serve`: the dev server on raw sockets, serving the app.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the dev server (flags override environment variables, which override the defaults)."
    )

    @Option(help: "The address to listen on (env HOST, default 127.0.0.1).")
    var host: String?

    // Read as text, `-1` included (the parser would take it for a flag and say "Missing value"),
    // and checked here, so a bad value is named with what is expected.
    @Option(parsing: .unconditional, help: "The port to listen on, 0 for any free port (env PORT, default 8080).")
    var port: String?

    @Option(parsing: .unconditional, help: "Event loops, one per core by default.")
    var loops: String?

    @Flag(help: "Also answer POST \(LambdaInvokeEndpoint.path) with the JSON Lambda would return for the event in the body.")
    var invokeEndpoint = false

    @OptionGroup var app: AppOptions

    func run() throws {
        let environment = Environment()
        let logger = try LoggerFactory.make(label: "swiftlet", environment: environment)
        var configuration = HTTPServerConfiguration()
        configuration.host = host ?? environment["HOST"] ?? "127.0.0.1"
        configuration.port = try port.map { text throws(ConfigurationError) in try Environment.port(text, name: "--port") } ?? environment.port("PORT") ?? 8080
        if let loops {
            guard let count = Int(loops), count > 0 else { throw ConfigurationError.invalidValue(name: "--loops", value: loops, expected: "a positive number") }
            configuration.loopCount = count
        }
        let (store, appConfiguration) = try app.settings.resolve(environment: environment, logger: logger)
        var responder = try ConfigurationError.wrapping { () throws(AppError) in
            try SwiftletApp.makeResponder(store: store, configuration: appConfiguration, logger: logger)
        }
        if invokeEndpoint {
            responder = LambdaInvokeEndpoint(app: responder, handler: LambdaEventHandler(responder: responder, logger: logger, keepWarmRequest: SwiftletApp.healthCheckRequest))
        }

        // Stop signals were blocked by `Entry` before any thread existed: this thread alone takes them.
        let server = HTTPServer(configuration: configuration, responder: responder, logger: logger)
        let address: SocketAddress
        do {
            address = try server.start()
        } catch {
            let wanted = "\(configuration.host):\(configuration.port)"
            let reason = if error.isAddressInUse {
                "the port is already in use"
            } else if error.unresolvedHost != nil {
                "\(error); give --host (or HOST) an address such as 127.0.0.1 or 0.0.0.0, or a name this machine resolves"
            } else {
                "\(error)"
            }
            throw ConfigurationError.cannotListen(address: wanted, reason: reason)
        }
        logger.notice("swiftlet listening on http://\(address)", metadata: [
            "store": "\(appConfiguration.storeName)", "region": "\(appConfiguration.region)", "dev": "\(appConfiguration.developmentMode)",
            "open_files_limit": "\(FileDescriptorLimit.raiseToMaximum())", // raised to the hard limit by start()
        ])
        let signal = clinux_wait_stop_signal()
        logger.info("stopping", metadata: ["signal": "\(signal)"])
        server.shutdown()
        logger.info("stopped")
    }
}
