import Digest
import HTTPClient
import HTTPCore
import HTTPTypes
import Sockets
import Timekeeping

/// The Runtime API over HTTP/1.1 on the kept-alive connection Lambda expects, at
/// `AWS_LAMBDA_RUNTIME_API` (AWS, "Using the Lambda runtime API for custom runtimes").
package final class HTTPRuntimeAPIClient: RuntimeAPIClient {
    static let version = "/2018-06-01/runtime"
    /// How long a call other than `/next` may take: the Runtime API is on the same host.
    static let callTimeout: Duration = .seconds(30)

    private let client: HTTPClient

    /// `endpoint` is `AWS_LAMBDA_RUNTIME_API` (`127.0.0.1:9001`).
    package init(endpoint: String) throws(LambdaRuntimeError) {
        guard let configuration = HTTPClient.Configuration(endpoint: endpoint) else { throw .invalidEndpoint(endpoint) }
        client = HTTPClient(configuration: configuration)
    }

    package func nextInvocation() throws(LambdaRuntimeError) -> Invocation {
        let response = try call("next", HTTPRequest(method: .get, scheme: nil, authority: nil, path: Self.version + "/invocation/next"), deadline: .never)
        let fields = response.head.headerFields
        guard let requestID = fields[Self.requestIDField], !requestID.isEmpty else { throw .missingHeader("Lambda-Runtime-Aws-Request-Id") }
        guard let deadlineText = fields[Self.deadlineField], let deadline = Int64(deadlineText) else { throw .missingHeader("Lambda-Runtime-Deadline-Ms") }
        return Invocation(
            requestID: requestID,
            deadlineMilliseconds: deadline,
            invokedFunctionARN: fields[Self.functionARNField],
            traceID: fields[Self.traceIDField],
            clientContext: fields[Self.clientContextField],
            cognitoIdentity: fields[Self.cognitoIdentityField],
            event: response.body
        )
    }

    package func sendResponse(requestID: String, body: [UInt8]) throws(LambdaRuntimeError) {
        let path = Self.invocationPath(requestID, "response")
        _ = try call("response", HTTPRequest(method: .post, scheme: nil, authority: nil, path: path), body: body, deadline: Self.callDeadline())
    }

    package func startStreamingResponse(requestID: String, contentType: String) throws(LambdaRuntimeError) -> any LambdaResponseStream {
        var fields = HTTPFields()
        fields[Self.responseModeField] = "streaming"
        fields[.contentType] = contentType
        let path = Self.invocationPath(requestID, "response")
        let request = HTTPRequest(method: .post, scheme: nil, authority: nil, path: path, headerFields: fields)
        do {
            let stream = try client.startStreaming(request, trailerNames: [Self.errorTypeField.rawName, Self.errorBodyField.rawName], deadline: Self.callDeadline())
            return HTTPLambdaResponseStream(request: stream, client: client)
        } catch {
            throw .transport(error)
        }
    }

    package func sendError(requestID: String, _ report: LambdaErrorReport) throws(LambdaRuntimeError) {
        let path = Self.invocationPath(requestID, "error")
        _ = try call("error", errorRequest(path: path, report), body: report.json, deadline: Self.callDeadline())
    }

    package func sendInitError(_ report: LambdaErrorReport) throws(LambdaRuntimeError) {
        _ = try call("init/error", errorRequest(path: Self.version + "/init/error", report), body: report.json, deadline: Self.callDeadline())
    }

    private func errorRequest(path: String, _ report: LambdaErrorReport) -> HTTPRequest {
        var fields = HTTPFields()
        fields[Self.errorTypeField] = report.type
        fields[.contentType] = "application/json"
        return HTTPRequest(method: .post, scheme: nil, authority: nil, path: path, headerFields: fields)
    }

    private func call(_ name: String, _ request: HTTPRequest, body: [UInt8] = [], deadline: MonotonicTime) throws(LambdaRuntimeError) -> ClientResponse {
        let response: ClientResponse
        do {
            response = try client.send(request, body: body, deadline: deadline)
        } catch {
            throw .transport(error)
        }
        try Self.check(name, response)
        return response
    }

    /// 2xx is success (`/next` 200, the rest 202); the documented failures are 400, 403, 413 and
    /// 500 (the latter "non-recoverable: the runtime should exit promptly").
    static func check(_ name: String, _ response: ClientResponse) throws(LambdaRuntimeError) {
        guard response.status.kind == .successful else {
            throw .rejected(call: name, status: response.status.code, body: String(decoding: response.body, as: UTF8.self))
        }
    }

    static func callDeadline() -> MonotonicTime {
        MonotonicTime.now().advanced(by: callTimeout)
    }

    /// `/2018-06-01/runtime/invocation/{id}/{action}`. A request id is a UUID; anything that is
    /// not a plain path segment is percent-encoded, so an odd id can never change the path.
    static func invocationPath(_ requestID: String, _ action: String) -> String {
        version + "/invocation/\(PercentEncoding.encode(requestID))/\(action)"
    }

    static let requestIDField = HTTPField.Name(literal: "Lambda-Runtime-Aws-Request-Id")
    static let deadlineField = HTTPField.Name(literal: "Lambda-Runtime-Deadline-Ms")
    static let functionARNField = HTTPField.Name(literal: "Lambda-Runtime-Invoked-Function-Arn")
    static let traceIDField = HTTPField.Name(literal: "Lambda-Runtime-Trace-Id")
    static let clientContextField = HTTPField.Name(literal: "Lambda-Runtime-Client-Context")
    static let cognitoIdentityField = HTTPField.Name(literal: "Lambda-Runtime-Cognito-Identity")
    static let responseModeField = HTTPField.Name(literal: "Lambda-Runtime-Function-Response-Mode")
    static let errorTypeField = HTTPField.Name(literal: "Lambda-Runtime-Function-Error-Type")
    static let errorBodyField = HTTPField.Name(literal: "Lambda-Runtime-Function-Error-Body")
}

/// A streamed `/response`: chunks on the wire as they come; an error after the first byte goes in
/// the trailers the request announced. The connection is closed after the last chunk, so the next
/// `/next` starts on a fresh one.
final class HTTPLambdaResponseStream: LambdaResponseStream, @unchecked Sendable {
    private let request: StreamingRequest
    private let client: HTTPClient

    init(request: StreamingRequest, client: HTTPClient) {
        self.request = request
        self.client = client
    }

    func write(_ bytes: [UInt8]) throws(LambdaRuntimeError) {
        do {
            try request.write(bytes, deadline: HTTPRuntimeAPIClient.callDeadline())
        } catch {
            throw .transport(error)
        }
    }

    func finish() throws(LambdaRuntimeError) {
        try end(trailers: HTTPFields())
    }

    func fail(_ report: LambdaErrorReport) throws(LambdaRuntimeError) {
        var trailers = HTTPFields()
        trailers[HTTPRuntimeAPIClient.errorTypeField] = report.type
        trailers[HTTPRuntimeAPIClient.errorBodyField] = Base64.encode(report.json)
        try end(trailers: trailers)
    }

    private func end(trailers: HTTPFields) throws(LambdaRuntimeError) {
        defer { client.close() }
        let response: ClientResponse
        do {
            response = try request.finish(trailers: trailers, deadline: HTTPRuntimeAPIClient.callDeadline())
        } catch {
            throw .transport(error)
        }
        try HTTPRuntimeAPIClient.check("response (streamed)", response)
    }
}
