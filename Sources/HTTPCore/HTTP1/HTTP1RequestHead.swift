public import HTTPTypes

/// A parsed request head with what the connection needs to read the body and decide keep-alive.
public struct HTTP1RequestHead: Sendable, Equatable {
    public var request: HTTPRequest
    /// The minor version: 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var minorVersion: Int
    /// How the body is delimited (RFC 9112 §6.3): `none`, `length` or `chunked`.
    public var framing: HTTP1BodyFraming
    /// Whether the client wants the connection kept open after this response.
    public var keepAlive: Bool
    /// Whether the client waits for `100 Continue` before sending the body.
    public var expectsContinue: Bool
}
