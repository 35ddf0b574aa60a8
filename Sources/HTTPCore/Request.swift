public import HTTPTypes

/// A request as every front-end hands it to the application: the head in swift-http-types' model,
/// the whole body (bounded by the front-end's limit), and what the transport knew about it.
public struct Request: Sendable {
    /// Method, path and header fields. The `Host` field is in `head.authority`.
    public var head: HTTPRequest
    /// The body; empty when there was none.
    public var body: [UInt8]
    /// The client's address as `host:port`, when the transport knows it.
    public var peer: String?
    /// An id for logs and error pages; the Lambda front-end sets AWS's, otherwise the app makes one.
    public var requestID: String?
    /// Path parameters the router matched (`:name` segments), percent-decoded.
    public var parameters: [String: String] = [:]

    public init(head: HTTPRequest, body: [UInt8] = [], peer: String? = nil, requestID: String? = nil) {
        self.head = head
        self.body = body
        self.peer = peer
        self.requestID = requestID
    }

    /// The path without the query string (`/api/visits` for `/api/visits?x=1`).
    public var path: Substring {
        let target = head.path ?? "/"
        if let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            return target[..<mark]
        }
        return target[...]
    }

    /// The query string after `?`, if any.
    public var query: Substring? {
        let target = head.path ?? "/"
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        return target[target.index(after: mark)...]
    }
}
