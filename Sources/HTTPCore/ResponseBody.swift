/// A response body: bytes in memory, a region of an open file (sent with `sendfile` by the socket
/// server, so large files are never read whole into memory), or a stream produced while it is sent.
public enum ResponseBody: Sendable {
    case empty
    case bytes([UInt8])
    case file(FileRegion)
    case stream(BodyStream)

    /// The length when it is known before sending; `nil` for a stream (sent chunked).
    public var count: Int? {
        switch self {
        case .empty: 0
        case .bytes(let bytes): bytes.count
        case .file(let region): region.count
        case .stream: nil
        }
    }
}

/// A body produced piece by piece: the front-end calls `produce` with a writer and sends what it
/// writes as it comes (chunked on HTTP/1.1, a streamed response on Lambda).
public struct BodyStream: Sendable {
    public let produce: @Sendable (any BodyWriter) async throws -> Void

    public init(_ produce: @escaping @Sendable (any BodyWriter) async throws -> Void) {
        self.produce = produce
    }
}

/// Where a `BodyStream` writes; `write` returns when the front-end can take more.
public protocol BodyWriter: Sendable {
    func write(_ bytes: [UInt8]) async throws
}
