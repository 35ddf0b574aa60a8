public import HTTPTypes

/// A parsed response head with what a client needs to read the body and reuse the connection.
public struct HTTP1ResponseHead: Sendable {
    public var response: HTTPResponse
    public var minorVersion: Int
    /// How the body is delimited (RFC 9112 §6.3); `none` also for a response to HEAD.
    public var framing: HTTP1BodyFraming
    /// Whether the server keeps the connection open after this response.
    public var keepAlive: Bool
}
