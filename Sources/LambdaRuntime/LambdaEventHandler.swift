public import HTTPCore
import HTTPTypes
import JSON
public import Logging

/// Turns an invocation into the app's answer: the event decoded into a `Request`, the responder
/// asked (`respondImmediately` first, as the socket server does), the `Response` put back into the
/// format the event came in. The runtime loop and the dev server's invoke endpoint both use it,
/// so `curl -d @event.json` locally gives the bytes Lambda would get.
public struct LambdaEventHandler: Sendable {
    /// Lambda refuses a buffered `/response` over 6 MB (AWS Lambda quotas, "Invocation payload").
    public static let maxBufferedPayload = 6 * 1024 * 1024

    public let responder: any HTTPResponder
    public let logger: Logger

    public init(responder: any HTTPResponder, logger: Logger) {
        self.responder = responder
        self.logger = logger
    }

    /// What to send for an HTTP event: the response, and its body unless the method was HEAD.
    public struct Answer: Sendable {
        public var response: Response
        public var format: HTTPEventFormat
        public var isHead: Bool
    }

    /// The app's answer to `request`.
    public func answer(_ request: Request, format: HTTPEventFormat) async -> Answer {
        let response = await responder.answer(request) { error in
            logger.error("responder failed", metadata: ["request_id": "\(request.requestID ?? "-")", "error": "\(error)"])
        }
        return Answer(response: response, format: format, isHead: request.head.method == .head)
    }

    /// The whole JSON answer for `/response` (or the error to report): buffered mode and the
    /// invoke endpoint.
    public func bufferedAnswer(to invocation: Invocation) async -> Result<[UInt8], LambdaErrorReport> {
        let event: LambdaEvent
        do {
            event = try LambdaEvent.decode(invocation)
        } catch {
            return .failure(error.report)
        }
        switch event {
        case .scheduled:
            return .success(await keepWarm(invocation))
        case .http(let request, let format):
            return .success(await buffered(answer(request, format: format), requestID: invocation.requestID))
        }
    }

    /// `answer` as one JSON document; one over Lambda's limit becomes a clean 500 instead of a
    /// `/response` Lambda would refuse.
    public func buffered(_ answer: Answer, requestID: String) async -> [UInt8] {
        var body: [UInt8] = []
        if !answer.isHead {
            do {
                body = try await answer.response.body.collect()
            } catch {
                logger.error("response body failed", metadata: ["request_id": "\(requestID)", "error": "\(error)"])
                let failure = HTTPError(.internalServerError).response(requestID: requestID)
                return EventResponse.json(failure, body: (try? await failure.body.collect()) ?? [], format: answer.format)
            }
        }
        let json = EventResponse.json(answer.response, body: body, format: answer.format)
        guard json.count > Self.maxBufferedPayload else { return json }
        logger.error("response too large for a buffered Lambda answer", metadata: [
            "request_id": "\(requestID)", "bytes": "\(json.count)", "limit": "\(Self.maxBufferedPayload)",
        ])
        let failure = Response.text("The response is larger than Lambda's 6 MB limit for buffered answers.\nRequest id: \(requestID)\n",
                                    status: .internalServerError)
        return EventResponse.json(failure, body: (try? await failure.body.collect()) ?? [], format: answer.format)
    }

    /// Runs a few made-up Function URL events through every step of an invocation (decoding, the
    /// responder, the answer's JSON) before the first `/next`, so that the first real invocation
    /// does not pay for first use: code paged in, type metadata made, allocator arenas grown. Only
    /// requests the app answers without waiting are made (`respondImmediately`), so this never
    /// reaches a store over the network, and none counts a visit. Their access log lines say
    /// `warm-up` where a request id would be.
    public func warmUp() {
        for (method, path) in [("HEAD", "/"), ("GET", "/swiftlet-warm-up"), ("GET", "/api/visits")] {
            let event = #"{"version":"2.0","rawPath":"\#(path)","rawQueryString":"","headers":{"accept-encoding":"gzip"},"requestContext":{"http":{"method":"\#(method)","sourceIp":"127.0.0.1"}},"isBase64Encoded":false}"#
            let invocation = Invocation(requestID: "warm-up", deadlineMilliseconds: WallClock.nowMilliseconds() + 1000, event: Array(event.utf8))
            guard case .http(var request, let format)? = try? LambdaEvent.decode(invocation) else { continue }
            request.isInternal = true
            guard let response = try? responder.respondImmediately(to: &request) else { continue }
            var body: [UInt8] = []
            if case .bytes(let bytes) = response.body { body = bytes }
            _ = EventResponse.json(response, body: body, format: format)
        }
    }

    /// A keep-warm ping: the health route asked (so the store is checked, and the answer says how
    /// it went), answered with `{"warm":true,"status":200}`.
    func keepWarm(_ invocation: Invocation) async -> [UInt8] {
        var request = Request(head: HTTPRequest(method: .get, scheme: "https", authority: nil, path: "/health"), requestID: invocation.requestID)
        request.deadline = invocation.deadline()
        request.isInternal = true
        let response = await responder.answer(request) { error in
            logger.error("keep-warm health check failed", metadata: ["request_id": "\(invocation.requestID)", "error": "\(error)"])
        }
        var writer = JSONWriter(capacity: 48)
        writer.beginObject()
        writer.key("warm")
        writer.bool(true)
        writer.key("status")
        writer.number(response.head.status.code)
        writer.endObject()
        return writer.bytes
    }
}
