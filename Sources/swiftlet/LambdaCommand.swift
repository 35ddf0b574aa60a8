import ArgumentParser
import CLinux
import Glibc
import LambdaRuntime
import Logging
import Sockets
import SwiftletApp
import VisitStore

/// `swiftlet lambda`: the custom runtime loop on `provided.al2023` (also chosen when
/// `AWS_LAMBDA_RUNTIME_API` is set or the executable is named `bootstrap`). Everything the app
/// needs is made before the first `/next`, so the first invocation costs what the others do; what
/// fails then is reported on `/runtime/init/error` and the process exits non-zero.
struct LambdaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lambda",
        abstract: "Run as an AWS Lambda custom runtime (AWS_LAMBDA_RUNTIME_API must be set)."
    )

    @OptionGroup var app: AppOptions

    func run() throws {
        try Self.run(settings: app.settings)
    }

    /// The runtime with `settings`; `Entry` calls this directly when Lambda chose the command.
    static func run(settings: AppSettings) throws {
        let environment = Environment()
        guard let endpoint = environment["AWS_LAMBDA_RUNTIME_API"] else {
            throw ConfigurationError.invalidValue(name: "AWS_LAMBDA_RUNTIME_API", value: "", expected: "host:port, as Lambda sets it")
        }
        let client = try HTTPRuntimeAPIClient(endpoint: endpoint)
        let runtime: LambdaRuntime
        let logger: Logger
        do {
            logger = try LoggerFactory.make(label: "swiftlet", environment: environment, lambda: true)
            let mode = try Self.invokeMode(environment)
            var (store, appConfiguration) = try settings.resolve(environment: environment, lambda: true, logger: logger)
            var metrics: InvocationMetrics?
            if try Self.metricsAreOn(environment) {
                let meter = StoreMeter()
                store = MeteredVisitStore(base: store, meter: meter)
                metrics = InvocationMetrics(functionName: environment["AWS_LAMBDA_FUNCTION_NAME"] ?? "swiftlet", region: appConfiguration.region,
                                            processStart: Entry.started, figures: { Self.storeMetrics(meter.take()) })
            }
            let responder = try ConfigurationError.wrapping { () throws(AppError) in
                try SwiftletApp.makeResponder(store: store, configuration: appConfiguration, logger: logger)
            }
            let handler = LambdaEventHandler(responder: responder, logger: logger)
            handler.warmUp()
            runtime = LambdaRuntime(client: client, handler: handler, mode: mode, metrics: metrics)
        } catch {
            // AWS, "Using the Lambda runtime API": report what failed, then exit.
            let message = (error as? ConfigurationError)?.description ?? "\(error)"
            try? client.sendInitError(LambdaErrorReport(type: "Runtime.InitError", message: message))
            throw error
        }
        Self.stopOnSIGTERM(runtime, logger: logger)
        // The loop runs on this thread, used as the task executor of the invocations: no thread
        // pool is started, and the blocking wait on /next blocks nothing else.
        do {
            try EventLoopRunner.run { () async throws in try await runtime.run() }
        } catch {
            logger.critical("runtime stopped", metadata: ["error": "\(error)"])
            throw ConfigurationError.cannotStart("\(error)")
        }
        logger.info("stopped")
    }

    /// `SWIFTLET_METRICS`: EMF metrics are on unless it says `off`.
    static func metricsAreOn(_ environment: Environment) throws(ConfigurationError) -> Bool {
        switch environment["SWIFTLET_METRICS"]?.lowercased() {
        case nil, "on": return true
        case "off": return false
        case let other?: throw ConfigurationError.invalidValue(name: "SWIFTLET_METRICS", value: other, expected: "on or off")
        }
    }

    /// The store's part of an invocation's metrics.
    static func storeMetrics(_ reading: StoreMeter.Reading) -> [EMFMetric] {
        [
            EMFMetric("StoreTime", .milliseconds(reading.time)),
            EMFMetric("VisitsCounted", .count(reading.visitsCounted)),
            EMFMetric("StoreErrors", .count(reading.errors)),
        ]
    }

    static func invokeMode(_ environment: Environment) throws -> LambdaRuntime.InvokeMode {
        guard let text = environment["SWIFTLET_INVOKE_MODE"] else { return .buffered }
        guard let mode = LambdaRuntime.InvokeMode(rawValue: text.uppercased()) else {
            throw ConfigurationError.invalidValue(name: "SWIFTLET_INVOKE_MODE", value: text, expected: "BUFFERED or RESPONSE_STREAM")
        }
        return mode
    }

    /// SIGTERM (Lambda's shutdown) ends the process with status 0: at once while waiting for an
    /// invocation, after the answer when one is in progress.
    /// The signals were blocked by `Entry` before any thread started, so only this one takes them.
    static func stopOnSIGTERM(_ runtime: LambdaRuntime, logger: Logger) {
        _ = try? PosixThread(name: "signals") {
            let signal = clinux_wait_stop_signal()
            logger.info("stopping", metadata: ["signal": "\(signal)"])
            if runtime.requestStop() { Glibc._exit(0) } // nothing to flush: every log line went out with write(2)
        }
    }
}
