/// Bounds on what a client may send, each with the status its breach earns (RFC 9112 §3, RFC 6585).
public struct HTTP1Limits: Sendable, Equatable {
    /// The request line, method to version; longer is 414 URI Too Long.
    public var maxRequestLineBytes: Int
    /// The header section after the request line; larger is 431.
    public var maxHeaderBytes: Int
    /// The number of header fields; more is 431.
    public var maxHeaderCount: Int
    /// The body, by Content-Length or decoded chunks; larger is 413.
    public var maxBodyBytes: Int

    public init(maxRequestLineBytes: Int = 8 * 1024, maxHeaderBytes: Int = 16 * 1024, maxHeaderCount: Int = 100, maxBodyBytes: Int = 1024 * 1024) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }
}
