import Glibc

/// Finds where a head ends (RFC 9112 §2.1: start-line, field lines, an empty line), for requests
/// and responses alike. Call `scan` with the unconsumed input each time more arrives: it remembers
/// how far it has looked, so a head that trickles in one byte at a time costs linear work. Lines
/// must end in CRLF; a bare CR or LF is refused, since two parsers could split it differently.
struct HTTP1HeadScanner: Sendable {
    enum Scan {
        case complete(startLine: Range<Int>, fields: Range<Int>, end: Int)
        case needMore
        case invalid(HTTP1ParseError)
    }

    var limits: HTTP1Limits
    private var scanned = 0
    private var lineStart = 0
    private var startLineEnd: Int?
    private var start = 0

    init(limits: HTTP1Limits) {
        self.limits = limits
    }

    mutating func reset() {
        scanned = 0
        lineStart = 0
        startLineEnd = nil
        start = 0
    }

    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Scan {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        // RFC 9112 §2.2: ignore empty lines before the start line.
        if startLineEnd == nil && scanned == start {
            while start + 1 < bytes.count && bytes[start] == cr && bytes[start + 1] == lf { start += 2 }
            if start < bytes.count && bytes[start] == lf { return .invalid(.bareLineEnding) }
            // Where scanning resumes, even when this call ends on a CR that may start another
            // empty line: otherwise the next call would scan the skipped lines as a request line
            // (found by the fuzzer: "\r\n\r" then "\n..." crashed on an inverted range).
            scanned = start
            lineStart = start
            if start + 1 == bytes.count && bytes[start] == cr { return .needMore }
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
            if startLineEnd == nil {
                if lineEnd - 1 - start > limits.maxRequestLineBytes { return .invalid(.requestLineTooLong) }
                startLineEnd = lineEnd + 1
            } else if lineEnd - 1 == lineStart {
                scanned = lineEnd + 1
                return finish(end: lineEnd + 1)
            }
            lineStart = lineEnd + 1
            index = lineEnd + 1
        }
        scanned = index
        if let startLineEnd {
            if bytes.count - startLineEnd > limits.maxHeaderBytes + 2 { return .invalid(.headerSectionTooLarge) }
        } else if bytes.count - start > limits.maxRequestLineBytes + 2 {
            return .invalid(.requestLineTooLong)
        }
        return .needMore
    }

    private func finish(end: Int) -> Scan {
        guard let startLineEnd else { return .invalid(.malformedRequestLine) }
        if end - startLineEnd > limits.maxHeaderBytes + 2 { return .invalid(.headerSectionTooLarge) }
        return .complete(startLine: start..<(startLineEnd - 2), fields: startLineEnd..<(end - 2), end: end)
    }
}
