public import HTTPTypes

/// A response as the application returns it: status and fields in swift-http-types' model and a body.
/// Front-ends add `Date`, `Content-Length` or chunking and `Connection`; the app never does.
public struct Response: Sendable {
    public var head: HTTPResponse
    public var body: ResponseBody

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
