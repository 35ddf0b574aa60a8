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
        let (runtime, logger) = try LambdaRuntime.initialize(reportingTo: client) { () throws -> (LambdaRuntime, Logger) in
            let logger = try LoggerFactory.make(label: "swiftlet", environment: environment, lambda: true)
            let mode = try Self.invokeMode(environment)
            let slots = try Self.concurrency(environment)
            var (store, appConfiguration) = try settings.resolve(environment: environment, lambda: true, logger: logger)
            var metrics: InvocationMetrics?
            if try Self.metricsAreOn(environment) {
                store = MeteredVisitStore(base: store)
                metrics = InvocationMetrics(functionName: environment["AWS_LAMBDA_FUNCTION_NAME"] ?? "swiftlet", region: appConfiguration.region,
                                            processStart: Entry.started, observe: Self.observeStore)
            }
            let responder = try ConfigurationError.wrapping { () throws(AppError) in
                try SwiftletApp.makeResponder(store: store, configuration: appConfiguration, logger: logger)
            }
            let handler = LambdaEventHandler(responder: responder, logger: logger, warmUpRequests: SwiftletApp.warmUpRequests,
                                             keepWarmRequest: SwiftletApp.healthCheckRequest)
            handler.warmUp()
            // One Runtime API connection per slot: each waits on a `/next` of its own.
            var clients: [any RuntimeAPIClient] = [client]
            for _ in 1..<slots { clients.append(try HTTPRuntimeAPIClient(endpoint: endpoint)) }
            return (LambdaRuntime(clients: clients, handler: handler, mode: mode, metrics: metrics), logger)
        }
        try runtime.stopOnSignals()
        do {
            try runtime.runSlots()
        } catch {
            logger.critical("runtime stopped", metadata: ["error": "\(error)"])
            throw ConfigurationError.cannotStart("\(error)")
        }
        logger.info("stopped")
    }

    /// `AWS_LAMBDA_MAX_CONCURRENCY`, which Lambda Managed Instances set: how many invocations the
    /// process is sent at once. 1 when unset.
    static func concurrency(_ environment: Environment) throws(ConfigurationError) -> Int {
        guard let text = environment["AWS_LAMBDA_MAX_CONCURRENCY"] else { return 1 }
        guard let count = Int(text), (1...1024).contains(count) else {
            throw ConfigurationError.invalidValue(name: "AWS_LAMBDA_MAX_CONCURRENCY", value: text, expected: "a number from 1 to 1024")
        }
        return count
    }

    /// Each invocation's store figures: a meter of its own, current while its answer is made.
    @Sendable static func observeStore(_ work: () async -> Void) async -> [EMFMetric] {
        let meter = StoreMeter()
        await StoreMeter.$current.withValue(meter) { await work() }
        return storeMetrics(meter.take())
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
}
