public import HTTPTypes

/// A response as the application returns it: status and fields in swift-http-types' model and a body.
/// Front-ends add `Date`, `Content-Length` or chunking and `Connection`; the app never does.
public struct Response: Sendable {
    public var head: HTTPResponse
    public var body: ResponseBody
    /// The id of the request this answers; front-ends send it as `X-Request-Id` after the fields
    /// of `head`. Kept apart from them so that a response whose fields are built once and shared
    /// (a cached health answer, a static file) is not copied on every request to add it: that
    /// copy, and validating the id as a field, were an eighth of answering `/health`.
    public var requestID: String?

    /// `X-Request-Id`, the field `requestID` travels in.
    public static let requestIDField = HTTPField.Name(literal: "X-Request-Id")

    /// `head`'s fields with `X-Request-Id` added, for a front-end or test that needs them in one list.
    public var headerFieldsWithRequestID: HTTPFields {
        guard let requestID else { return head.headerFields }
        var fields = head.headerFields
        fields.append(HTTPField(name: Self.requestIDField, value: requestID))
        return fields
    }

    public init(head: HTTPResponse, body: ResponseBody = .empty) {
        self.head = head
        self.body = body
    }

    public init(status: HTTPResponse.Status, headerFields: HTTPFields = [:], body: ResponseBody = .empty) {
        self.head = HTTPResponse(status: status, headerFields: headerFields)
        self.body = body
    }

    /// A response with `bytes` as body and `contentType` as its `Content-Type`.
    public init(status: HTTPResponse.Status = .ok, contentType: String, bytes: [UInt8]) {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        self.init(status: status, headerFields: fields, body: .bytes(bytes))
    }

    /// `text/plain; charset=utf-8`.
    public static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, contentType: "text/plain; charset=utf-8", bytes: Array(text.utf8))
    }

    /// `application/json` from JSON text the caller has already encoded.
    public static func json(_ json: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, contentType: "application/json", bytes: Array(json.utf8))
    }
}
