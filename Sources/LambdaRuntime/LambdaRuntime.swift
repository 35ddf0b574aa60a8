import Glibc
import HTTPCore
import Logging
import Synchronization

/// Front-end 2: the Lambda custom runtime loop around the app's responder, a sibling of the
/// socket server (AWS, "Using the Lambda runtime API for custom runtimes"). It asks `/next` for an
/// invocation, answers it (buffered, or streamed for Function URLs in `RESPONSE_STREAM` mode), and
/// asks again. An event it cannot serve is reported on `/error` and the loop goes on; a Runtime API
/// that cannot be reached or refuses a call ends it, and Lambda starts a new process.
public final class LambdaRuntime: Sendable {
    /// The Function URL's invoke mode (`SWIFTLET_INVOKE_MODE`).
    public enum InvokeMode: String, Sendable {
        case buffered = "BUFFERED"
        case responseStream = "RESPONSE_STREAM"
    }

    private let client: any RuntimeAPIClient
    private let handler: LambdaEventHandler
    private let mode: InvokeMode
    private let exportsTraceID: Bool
    /// One EMF object per invocation, when on (`SWIFTLET_METRICS`).
    private let metrics: InvocationMetrics?
    /// 1: inside an invocation; 2: asked to stop.
    private let flags = Atomic<Int>(0)

    /// `exportsTraceID` sets `_X_AMZN_TRACE_ID` for each invocation, as AWS asks of runtimes; tests
    /// that run several runtimes in one process turn it off (the environment is the process's).
    public init(client: any RuntimeAPIClient, handler: LambdaEventHandler, mode: InvokeMode = .buffered, exportsTraceID: Bool = true,
                metrics: InvocationMetrics? = nil) {
        self.client = client
        self.metrics = metrics
        self.handler = handler
        self.mode = mode
        self.exportsTraceID = exportsTraceID
    }

    /// Serves invocations until `requestStop()` or a Runtime API failure (thrown).
    public func run() async throws(LambdaRuntimeError) {
        metrics?.initFinished()
        while flags.load(ordering: .acquiring) & 2 == 0 {
            try await serveNext()
        }
    }

    /// Asks the loop to stop after the invocation in progress; `true` when none is in progress
    /// (the process may end at once: SIGTERM while waiting on `/next`).
    public func requestStop() -> Bool {
        flags.bitwiseOr(2, ordering: .acquiringAndReleasing).oldValue & 1 == 0
    }

    /// One turn of the loop: `/next`, then the answer.
    public func serveNext() async throws(LambdaRuntimeError) {
        let invocation = try client.nextInvocation()
        let received = ContinuousClock.now
        metrics?.begin()
        flags.bitwiseOr(1, ordering: .acquiringAndReleasing)
        defer { flags.bitwiseAnd(~1, ordering: .acquiringAndReleasing) }
        // X-Ray's trace header for this invocation, where SDKs look for it.
        if exportsTraceID {
            if let trace = invocation.traceID { setenv("_X_AMZN_TRACE_ID", trace, 1) } else { unsetenv("_X_AMZN_TRACE_ID") }
        }
        let outcome = try await serve(invocation)
        metrics?.record(requestID: invocation.requestID, elapsed: .now - received, outcome: outcome)
    }

    /// Answers `invocation`; what happened goes into its metrics.
    private func serve(_ invocation: Invocation) async throws(LambdaRuntimeError) -> InvocationMetrics.Outcome {
        let event: LambdaEvent
        do {
            event = try LambdaEvent.decode(invocation)
        } catch {
            handler.logger.error("event not served", metadata: ["request_id": "\(invocation.requestID)", "error": "\(error)"])
            try client.sendError(requestID: invocation.requestID, error.report)
            return .unserved
        }
        switch event {
        case .scheduled:
            try client.sendResponse(requestID: invocation.requestID, body: await handler.keepWarm(invocation))
            return .keepWarm
        case .http(let request, let format):
            let answer = await handler.answer(request, format: format)
            if mode == .responseStream && format == .functionURL {
                try await stream(answer, requestID: invocation.requestID)
            } else {
                try client.sendResponse(requestID: invocation.requestID, body: await handler.buffered(answer, requestID: invocation.requestID))
            }
            return .http(answer.response.head.status)
        }
    }

    /// A streamed Function URL answer: the prelude, then the body as it is made. An error after
    /// the first byte can no longer change the status, so it goes in the trailers.
    private func stream(_ answer: LambdaEventHandler.Answer, requestID: String) async throws(LambdaRuntimeError) {
        let stream = try client.startStreamingResponse(requestID: requestID, contentType: EventResponse.streamingContentType)
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
                handler.logger.error("response stream failed", metadata: ["request_id": "\(requestID)", "error": "\(error)"])
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
