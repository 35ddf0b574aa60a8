import Glibc
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

    public var limits: HTTP1Limits
    private var scanned = 0
    private var lineStart = 0
    private var requestLineEnd: Int?
    private var start = 0

    public init(limits: HTTP1Limits = HTTP1Limits()) {
        self.limits = limits
    }

    /// Forgets a partial scan; call after a head has been consumed.
    public mutating func reset() {
        scanned = 0
        lineStart = 0
        requestLineEnd = nil
        start = 0
    }

    /// Parses `bytes`, the unconsumed input, which must begin where the previous call's began.
    public mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        // RFC 9112 §2.2: ignore empty lines before the request line.
        if requestLineEnd == nil && scanned == start {
            while start + 1 < bytes.count && bytes[start] == cr && bytes[start + 1] == lf { start += 2 }
            if start < bytes.count && bytes[start] == lf { return .invalid(.bareLineEnding) }
            if start + 1 == bytes.count && bytes[start] == cr { return .needMore }
            scanned = start
            lineStart = start
        }
        // Line ends are found with memchr, not byte by byte; a CR is allowed only just before an LF.
        guard let base = bytes.baseAddress else { return .needMore }
        var index = scanned
        while index < bytes.count {
            guard let found = memchr(base + index, Int32(lf), bytes.count - index) else {
                // No line end yet. A CR before the last byte is bare; a CR last waits for its LF.
                if let bare = memchr(base + index, Int32(cr), bytes.count - index) {
                    let position = UnsafeRawPointer(bare) - UnsafeRawPointer(base)
                    if position != bytes.count - 1 { return .invalid(.bareLineEnding) }
                    index = position
                    break
                }
                index = bytes.count
                break
            }
            let lineEnd = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            guard lineEnd > lineStart, bytes[lineEnd - 1] == cr else { return .invalid(.bareLineEnding) }
            if lineEnd - 1 > index, memchr(base + index, Int32(cr), lineEnd - 1 - index) != nil {
                return .invalid(.bareLineEnding)
            }
            if requestLineEnd == nil {
                if lineEnd - 1 - start > limits.maxRequestLineBytes { return .invalid(.requestLineTooLong) }
                requestLineEnd = lineEnd + 1
            } else if lineEnd - 1 == lineStart {
                scanned = lineEnd + 1
                return finish(bytes, end: lineEnd + 1)
            }
            lineStart = lineEnd + 1
            index = lineEnd + 1
        }
        scanned = index
        if let requestLineEnd {
            if bytes.count - requestLineEnd > limits.maxHeaderBytes + 2 { return .invalid(.headerSectionTooLarge) }
        } else if bytes.count - start > limits.maxRequestLineBytes + 2 {
            return .invalid(.requestLineTooLong)
        }
        return .needMore
    }

    private func finish(_ bytes: UnsafeBufferPointer<UInt8>, end: Int) -> Result {
        guard let requestLineEnd else { return .invalid(.malformedRequestLine) }
        if end - requestLineEnd > limits.maxHeaderBytes + 2 { return .invalid(.headerSectionTooLarge) }
        do throws(HTTP1ParseError) {
            let head = try HTTP1HeadBuilder.build(
                bytes,
                requestLine: start..<(requestLineEnd - 2),
                fields: requestLineEnd..<(end - 2),
                limits: limits
            )
            return .complete(head, consumed: end)
        } catch {
            return .invalid(error)
        }
    }
}
