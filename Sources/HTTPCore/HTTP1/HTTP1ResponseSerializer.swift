public import HTTPTypes

/// Writes a response head in HTTP/1.1 wire form (RFC 9112 §4, §6), adding the fields that belong to
/// the connection rather than the app: `Date`, the framing (`Content-Length` or chunked) and
/// `Connection`. Fields the app set for framing are dropped, so a response is framed exactly once.
public enum HTTP1ResponseSerializer {
    /// How the body will follow the head.
    public enum BodyFraming: Sendable, Equatable {
        /// `Content-Length: n`, then n bytes (or none, for HEAD and 304, which keep the length).
        case length(Int)
        /// `Transfer-Encoding: chunked`.
        case chunked
        /// 1xx, 204 and 304 carry no framing field (RFC 9110 §8.6).
        case noBody
    }

    /// Appends the head of `response` to `buffer`. `date` is the cached `Date` value.
    public static func writeHead(
        _ response: HTTPResponse,
        framing: BodyFraming,
        keepAlive: Bool,
        minorVersion: Int,
        date: String,
        into buffer: inout [UInt8]
    ) {
        let status = response.status
        buffer.append(contentsOf: minorVersion == 0 ? http10 : http11)
        appendNumber(status.code, to: &buffer)
        buffer.append(UInt8(ascii: " "))
        buffer.append(contentsOf: status.reasonPhrase.utf8)
        buffer.append(contentsOf: crlf)
        for field in response.headerFields {
            if isConnectionField(field.name) { continue }
            buffer.append(contentsOf: field.name.rawName.utf8)
            buffer.append(contentsOf: colonSpace)
            buffer.append(contentsOf: field.value.utf8)
            buffer.append(contentsOf: crlf)
        }
        buffer.append(contentsOf: dateName)
        buffer.append(contentsOf: date.utf8)
        buffer.append(contentsOf: crlf)
        switch framing {
        case .length(let count):
            buffer.append(contentsOf: contentLengthName)
            appendNumber(count, to: &buffer)
            buffer.append(contentsOf: crlf)
        case .chunked:
            buffer.append(contentsOf: chunkedField)
        case .noBody:
            break
        }
        if !keepAlive {
            buffer.append(contentsOf: connectionClose)
        } else if minorVersion == 0 {
            buffer.append(contentsOf: connectionKeepAlive)
        }
        buffer.append(contentsOf: crlf)
    }

    /// `Content-Length`, `Transfer-Encoding`, `Connection` and `Date` belong to the front-end. The
    /// length check first: most names cannot match, and a name comparison compares strings.
    static func isConnectionField(_ name: HTTPField.Name) -> Bool {
        switch name.canonicalName.utf8.count {
        case 4: name == .date
        case 10: name == .connection
        case 14: name == .contentLength
        case 17: name == .transferEncoding
        default: false
        }
    }

    /// Appends one chunk (`size CRLF data CRLF`); an empty `data` writes the last chunk.
    public static func writeChunk(_ data: [UInt8], into buffer: inout [UInt8]) {
        buffer.append(contentsOf: String(data.count, radix: 16).utf8)
        buffer.append(contentsOf: crlf)
        buffer.append(contentsOf: data)
        buffer.append(contentsOf: crlf)
    }

    /// The last chunk and an empty trailer section.
    public static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    /// Whether a response with `status` may have a body at all.
    public static func allowsBody(_ status: HTTPResponse.Status) -> Bool {
        !(status.kind == .informational || status == .noContent || status == .notModified)
    }

    static func appendNumber(_ value: Int, to buffer: inout [UInt8]) {
        if value < 10 {
            buffer.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        buffer.append(contentsOf: String(value).utf8)
    }

    private static let http11: [UInt8] = Array("HTTP/1.1 ".utf8)
    private static let http10: [UInt8] = Array("HTTP/1.0 ".utf8)
    private static let crlf: [UInt8] = [13, 10]
    private static let colonSpace: [UInt8] = Array(": ".utf8)
    private static let dateName: [UInt8] = Array("Date: ".utf8)
    private static let contentLengthName: [UInt8] = Array("Content-Length: ".utf8)
    private static let chunkedField: [UInt8] = Array("Transfer-Encoding: chunked\r\n".utf8)
    private static let connectionClose: [UInt8] = Array("Connection: close\r\n".utf8)
    private static let connectionKeepAlive: [UInt8] = Array("Connection: keep-alive\r\n".utf8)
}
