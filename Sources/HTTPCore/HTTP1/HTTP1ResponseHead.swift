public import HTTPTypes

/// A parsed response head with what a client needs to read the body and reuse the connection.
public struct HTTP1ResponseHead: Sendable {
    /// How the body is delimited (RFC 9112 §6.3).
    public enum Framing: Sendable, Equatable {
        /// No body: a response to HEAD, 1xx, 204, 304, or `Content-Length: 0`.
        case none
        case contentLength(Int)
        case chunked
        /// Neither length nor chunking: the body runs until the server closes (§6.3 rule 8).
        case untilClose
    }

    public var response: HTTPResponse
    public var minorVersion: Int
    public var framing: Framing
    /// Whether the server keeps the connection open after this response.
    public var keepAlive: Bool
}
