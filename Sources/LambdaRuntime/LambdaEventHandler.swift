package import HTTPCore
import HTTPTypes
import JSON
package import Logging

/// Turns an invocation into the app's answer: the event decoded into a `Request`, the responder
/// asked (the same `dispatch` as the socket server's), the `Response` put back into the
/// format the event came in. The runtime loop and the dev server's invoke endpoint both use it,
/// so `curl -d @event.json` locally gives the bytes Lambda would get.
///
/// It knows no route of the app: the requests it warms up with, and the one a keep-warm ping asks,
/// are handed in by whoever builds it (the app offers them: `SwiftletApp.warmUpRequests`,
/// `SwiftletApp.healthCheckRequest`).
package struct LambdaEventHandler: Sendable {
    /// Lambda refuses a buffered `/response` over 6 MB (AWS Lambda quotas, "Invocation payload").
    package static let maxBufferedPayload = 6 * 1024 * 1024

    package let responder: any HTTPResponder
    package let logger: Logger
    /// Run through every step of an invocation before the first `/next` (`warmUp()`).
    package let warmUpRequests: [Request]
    /// What an EventBridge keep-warm ping asks the app (a health check), or `nil` to answer the
    /// ping without asking it.
    package let keepWarmRequest: Request?

    package init(responder: any HTTPResponder, logger: Logger, warmUpRequests: [Request] = [], keepWarmRequest: Request? = nil) {
        self.responder = responder
        self.logger = logger
        self.warmUpRequests = warmUpRequests
        self.keepWarmRequest = keepWarmRequest
    }

    /// What to send for an HTTP event: the response, and its body unless the method was HEAD.
    package struct Answer: Sendable {
        package var response: Response
        package var format: HTTPEventFormat
        package var isHead: Bool
    }

    /// What an invocation comes to, before anything is sent: the one place its event is told apart.
    package enum Outcome: Sendable {
        /// An HTTP event's answer, to send buffered or streamed.
        case http(Answer)
        /// A keep-warm ping's whole answer.
        case keepWarm([UInt8])
        /// An event this runtime does not serve, to report on `/error`.
        case unserved(LambdaErrorReport)
    }

    /// The logger for one invocation: the handler's, with the invocation's request id and trace.
    package func logger(for invocation: Invocation) -> Logger {
        var logger = logger
        logger[metadataKey: "request_id"] = .string(invocation.requestID)
        if let trace = invocation.traceID { logger[metadataKey: "trace_id"] = .string(trace) }
        return logger
    }

    /// Decodes `invocation` and asks the app.
    package func handle(_ invocation: Invocation, logger: Logger) async -> Outcome {
        let event: LambdaEvent
        do {
            event = try LambdaEvent.decode(invocation)
        } catch {
            logger.error("event not served", metadata: ["error": "\(error)"])
            return .unserved(error.report)
        }
        switch event {
        case .scheduled:
            return .keepWarm(await keepWarm(invocation))
        case .http(let request, let format):
            return .http(await answer(request, format: format))
        }
    }

    /// The app's answer to `request`.
    package func answer(_ request: Request, format: HTTPEventFormat) async -> Answer {
        let response = await responder.answer(request)
        return Answer(response: response, format: format, isHead: request.head.method == .head)
    }

    /// The whole JSON answer for `/response` (or the error to report): buffered mode and the
    /// invoke endpoint.
    package func bufferedAnswer(to invocation: Invocation) async -> Result<[UInt8], LambdaErrorReport> {
        let logger = logger(for: invocation)
        switch await handle(invocation, logger: logger) {
        case .unserved(let report): return .failure(report)
        case .keepWarm(let body): return .success(body)
        case .http(let answer): return .success(await buffered(answer, requestID: invocation.requestID, logger: logger))
        }
    }

    /// `answer` as one JSON document; one over Lambda's limit becomes a clean 500 instead of a
    /// `/response` Lambda would refuse.
    package func buffered(_ answer: Answer, requestID: String, logger: Logger) async -> [UInt8] {
        var body: [UInt8] = []
        if !answer.isHead {
            do {
                body = try await answer.response.body.collect()
            } catch {
                logger.error("response body failed", metadata: ["error": "\(error)"])
                let failure = HTTPError(.internalServerError).response(requestID: requestID)
                return EventResponse.json(failure, body: (try? await failure.body.collect()) ?? [], format: answer.format)
            }
        }
        let json = EventResponse.json(answer.response, body: body, format: answer.format)
        guard json.count > Self.maxBufferedPayload else { return json }
        logger.error("response too large for a buffered Lambda answer", metadata: [
            "bytes": "\(json.count)", "limit": "\(Self.maxBufferedPayload)",
        ])
        let failure = Response.text("The response is larger than Lambda's 6 MB limit for buffered answers.\nRequest id: \(requestID)\n",
                                    status: .internalServerError)
        return EventResponse.json(failure, body: (try? await failure.body.collect()) ?? [], format: answer.format)
    }

    /// Runs each of `warmUpRequests` through every step of an invocation (its Function URL event
    /// made and decoded, the responder, the answer's JSON) before the first `/next`, so that the
    /// first real invocation does not pay for first use: code paged in, type metadata made,
    /// allocator arenas grown. Only answers the app makes without waiting are taken
    /// (`Dispatch.answered`), so this never reaches a store over the network. The requests are
    /// internal (`Request.isInternal`); their access log lines say `warm-up` for a request id.
    package func warmUp() {
        for warmUpRequest in warmUpRequests {
            let invocation = Invocation(requestID: "warm-up", deadlineMilliseconds: WallClock.nowMilliseconds() + 1000,
                                        event: FunctionURLRequest.event(for: warmUpRequest))
            guard case .http(var request, let format)? = try? LambdaEvent.decode(invocation) else { continue }
            request.isInternal = true
            guard case .answered(let response) = responder.dispatch(request) else { continue }
            var body: [UInt8] = []
            if case .bytes(let bytes) = response.body { body = bytes }
            _ = EventResponse.json(response, body: body, format: format)
        }
    }

    /// A keep-warm ping: `keepWarmRequest` asked (a health check, so the store is checked and the
    /// answer says how it went), answered with `{"warm":true,"status":200}`.
    func keepWarm(_ invocation: Invocation) async -> [UInt8] {
        var status: HTTPResponse.Status?
        if var request = keepWarmRequest {
            request.requestID = invocation.requestID
            request.traceID = invocation.traceID
            request.deadline = invocation.deadline()
            request.isInternal = true
            status = await responder.answer(request).head.status
        }
        var writer = JSONWriter(capacity: 48)
        writer.beginObject()
        writer.key("warm")
        writer.bool(true)
        if let status {
            writer.key("status")
            writer.number(status.code)
        }
        writer.endObject()
        return writer.bytes
    }
}
