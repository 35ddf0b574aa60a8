import CLinux
import Glibc
import HTTPCore
import Logging
import Sockets
import Synchronization
import Timekeeping
package import Threads

/// Front-end 2: the Lambda custom runtime loop around the app's responder, a sibling of the
/// socket server (AWS, "Using the Lambda runtime API for custom runtimes"). It asks `/next` for an
/// invocation, answers it (buffered, or streamed for Function URLs in `RESPONSE_STREAM` mode), and
/// asks again. An event it cannot serve is reported on `/error` and the loop goes on; a Runtime API
/// that cannot be reached or refuses a call ends it, and Lambda starts a new process.
///
/// It owns its lifecycle: init errors are reported on `/init/error` (`initialize(reportingTo:_:)`),
/// and SIGTERM stops it after the invocations in flight (`stopOnSignals()`).
///
/// Lambda Managed Instances send up to `AWS_LAMBDA_MAX_CONCURRENCY` invocations to one process at
/// once, each on its own `/next` ("Lambda Managed Instances support concurrent requests", the
/// Runtime API page): one client per slot, each slot a loop of its own (`runSlots()`).
package final class LambdaRuntime: Sendable {
    /// The Function URL's invoke mode (`SWIFTLET_INVOKE_MODE`).
    package enum InvokeMode: String, Sendable {
        case buffered = "BUFFERED"
        case responseStream = "RESPONSE_STREAM"
    }

    private let clients: [any RuntimeAPIClient]
    private let handler: LambdaEventHandler
    private let mode: InvokeMode
    private let exportsTraceID: Bool
    /// One EMF object per invocation, when on (`SWIFTLET_METRICS`).
    private let metrics: InvocationMetrics?
    private struct Flags {
        var inFlight = 0
        var stopRequested = false
        /// Set by `stopOnSignals`: the process ends when the last invocation in flight is answered.
        var exitsWhenIdle = false
    }
    private let flags = Mutex(Flags())

    /// `clients` holds one Runtime API connection per slot (one for a standard function).
    /// `exportsTraceID` sets `_X_AMZN_TRACE_ID` for each invocation, as AWS asks of runtimes; it is
    /// process-wide, so it is left alone when several slots run (the request's `traceID` and the
    /// invocation's log metadata carry it), and tests that run several runtimes in one process turn
    /// it off.
    package init(clients: [any RuntimeAPIClient], handler: LambdaEventHandler, mode: InvokeMode = .buffered, exportsTraceID: Bool = true,
                metrics: InvocationMetrics? = nil) {
        precondition(!clients.isEmpty, "a runtime needs a Runtime API client")
        self.clients = clients
        self.handler = handler
        self.mode = mode
        self.exportsTraceID = exportsTraceID && clients.count == 1
        self.metrics = metrics
    }

    package convenience init(client: any RuntimeAPIClient, handler: LambdaEventHandler, mode: InvokeMode = .buffered, exportsTraceID: Bool = true,
                            metrics: InvocationMetrics? = nil) {
        self.init(clients: [client], handler: handler, mode: mode, exportsTraceID: exportsTraceID, metrics: metrics)
    }

    /// How many invocations run at once: `AWS_LAMBDA_MAX_CONCURRENCY` under Managed Instances,
    /// 1 otherwise.
    package var slots: Int { clients.count }

    /// Runs `body` (everything done before the first `/next`), reporting what it throws on
    /// `/init/error` as `Runtime.InitError` before rethrowing it: AWS asks a runtime that cannot
    /// start to report and exit.
    package static func initialize<T>(reportingTo client: any RuntimeAPIClient, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            try? client.sendInitError(LambdaErrorReport(type: "Runtime.InitError", message: "\(error)"))
            throw error
        }
    }

    /// Serves invocations on slot `slot` until `requestStop()` or a Runtime API failure (thrown).
    package func run(slot: Int = 0) async throws(LambdaRuntimeError) {
        metrics?.initFinished()
        while !flags.withLock({ $0.stopRequested }) {
            try await serveNext(slot: slot)
        }
    }

    /// Runs every slot until the first one ends: slot 0 on the calling thread, the others on
    /// threads of their own, each thread the executor of its slot's tasks (a slot blocks its
    /// thread on `/next`, and nothing else). Throws what ended that slot.
    package func runSlots() throws {
        for slot in 1..<slots {
            _ = try PosixThread(name: "lambda-slot-\(slot)") { [self] in
                do {
                    try EventLoop.runTask { () async throws in try await self.run(slot: slot) }
                } catch {
                    // One slot's Runtime API failed: the process ends, as with one slot, and
                    // Lambda starts a new one.
                    handler.logger.critical("runtime stopped", metadata: ["slot": "\(slot)", "error": "\(error)"])
                    Glibc._exit(1)
                }
            }
        }
        try EventLoop.runTask { () async throws in try await self.run(slot: 0) }
    }

    /// Asks every slot to stop after the invocation it is answering; `true` when none is in
    /// flight (the process may end at once: SIGTERM while waiting on `/next`).
    package func requestStop() -> Bool {
        flags.withLock { flags in
            flags.stopRequested = true
            return flags.inFlight == 0
        }
    }

    /// SIGINT and SIGTERM (Lambda's shutdown) end the process with status 0: at once when no
    /// invocation is in flight, else as soon as the last one in flight is answered. The signals
    /// must be blocked in every thread beforehand (the executable does it first thing), so that
    /// only the thread started here takes them.
    package func stopOnSignals() throws(PosixThread.StartError) {
        flags.withLock { $0.exitsWhenIdle = true }
        _ = try PosixThread(name: "signals") { [self] in
            let signal = clinux_wait_stop_signal()
            handler.logger.info("stopping", metadata: ["signal": "\(signal)"])
            if requestStop() { exitStopped() }
        }
    }

    private func exitStopped() -> Never {
        handler.logger.info("stopped")
        Glibc._exit(0) // nothing to flush: every log line went out with write(2)
    }

    /// One turn of slot `slot`'s loop: `/next`, then the answer.
    package func serveNext(slot: Int = 0) async throws(LambdaRuntimeError) {
        let (invocation, reply) = try clients[slot].next()
        let received = MonotonicTime.now()
        flags.withLock { $0.inFlight += 1 }
        defer {
            let idleAfterStop = flags.withLock { flags in
                flags.inFlight -= 1
                return flags.inFlight == 0 && flags.stopRequested && flags.exitsWhenIdle
            }
            if idleAfterStop { exitStopped() }
        }
        // X-Ray's trace header for this invocation, where SDKs look for it.
        if exportsTraceID {
            if let trace = invocation.traceID { setenv("_X_AMZN_TRACE_ID", trace, 1) } else { unsetenv("_X_AMZN_TRACE_ID") }
        }
        let logger = handler.logger(for: invocation)
        let outcome: LambdaEventHandler.Outcome
        var figures: [EMFMetric] = []
        if let metrics {
            // An observer that never ran the work would leave this: reported, never a crash.
            var handled = LambdaEventHandler.Outcome.unserved(LambdaErrorReport(type: "Runtime.NotHandled", message: "the metrics observer did not run the invocation"))
            figures = await metrics.observe { handled = await handler.handle(invocation, logger: logger) }
            outcome = handled
        } else {
            outcome = await handler.handle(invocation, logger: logger)
        }
        try await send(outcome, with: reply, logger: logger)
        metrics?.record(requestID: invocation.requestID, elapsed: MonotonicTime.now() - received, outcome: outcome, figures: figures)
    }

    /// Sends what `outcome` says through `reply`: the one place an invocation's answer goes out.
    private func send(_ outcome: LambdaEventHandler.Outcome, with reply: InvocationReply, logger: Logger) async throws(LambdaRuntimeError) {
        switch outcome {
        case .unserved(let report):
            try reply.fail(report)
        case .keepWarm(let body):
            try reply.respond(body)
        case .http(let answer):
            if mode == .responseStream && answer.format == .functionURL {
                try await stream(answer, with: reply, logger: logger)
            } else {
                try reply.respond(await handler.buffered(answer, requestID: reply.requestID, logger: logger))
            }
        }
    }

    /// A streamed Function URL answer: the prelude, then the body as it is made. An error after
    /// the first byte can no longer change the status, so it goes in the trailers.
    private func stream(_ answer: LambdaEventHandler.Answer, with reply: InvocationReply, logger: Logger) async throws(LambdaRuntimeError) {
        let stream = try reply.startStream(contentType: EventResponse.streamingContentType)
        try stream.write(EventResponse.streamingPrelude(answer.response))
        if answer.isHead {
            try stream.finish()
            return
        }
        switch answer.response.body {
        case .empty:
            break
        case .bytes(let bytes):
            try stream.write(bytes)
        case .file(let region):
            var offset = region.offset
            let end = region.offset + region.count
            while offset < end {
                let count = min(256 * 1024, end - offset)
                guard let piece = region.file.read(offset: offset, count: count) else {
                    try stream.fail(LambdaErrorReport(type: "Runtime.StreamError", message: "a file response body could not be read"))
                    return
                }
                try stream.write(piece)
                offset += count
            }
        case .stream(let producer):
            let writer = StreamForwarder(stream: stream)
            do {
                try await producer.produce(writer)
            } catch {
                if let failure = error as? LambdaRuntimeError { throw failure }
                logger.error("response stream failed", metadata: ["error": "\(error)"])
                try stream.fail(LambdaErrorReport(type: "Runtime.StreamError", message: "the response stream failed after it started"))
                return
            }
        }
        try stream.finish()
    }
}

/// Hands a `BodyStream`'s writes to the Runtime API stream as chunks.
final class StreamForwarder: BodyWriter {
    let stream: any LambdaResponseStream

    init(stream: any LambdaResponseStream) {
        self.stream = stream
    }

    func write(_ bytes: [UInt8]) async throws {
        try stream.write(bytes)
    }
}
