import HTTPTypes

/// An incremental parser for a request head (RFC 9112 §2–§7). Call `parse` with the unconsumed input
/// each time more arrives: it remembers how far it has scanned, so a head that trickles in one byte at
/// a time costs linear work. It answers "complete, n bytes", "need more" or "invalid, status".
///
/// It is strict where leniency lets requests be smuggled: lines must end in CRLF, a field name must be
/// followed directly by its colon, Content-Length must be digits and appear once, Transfer-Encoding
/// must end in `chunked` and never come with Content-Length, and control characters are refused.
public struct HTTP1HeadParser: Sendable {
    /// The outcome of one call.
    public enum Result: Sendable {
        case complete(HTTP1RequestHead, consumed: Int)
        case needMore
        case invalid(HTTP1ParseError)
    }

    public var limits: HTTP1Limits {
        didSet { scanner.limits = limits }
    }
    private var scanner: HTTP1HeadScanner

    public init(limits: HTTP1Limits = HTTP1Limits()) {
        self.limits = limits
        self.scanner = HTTP1HeadScanner(limits: limits)
    }

    /// Forgets a partial scan; call after a head has been consumed.
    public mutating func reset() {
        scanner.reset()
    }

    /// Parses `bytes`, the unconsumed input, which must begin where the previous call's began.
    public mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
        switch scanner.scan(bytes) {
        case .needMore:
            return .needMore
        case .invalid(let error):
            return .invalid(error)
        case .complete(let startLine, let fields, let end):
            do throws(HTTP1ParseError) {
                let head = try HTTP1HeadBuilder.build(bytes, requestLine: startLine, fields: fields, limits: limits)
                return .complete(head, consumed: end)
            } catch {
                return .invalid(error)
            }
        }
    }
}
