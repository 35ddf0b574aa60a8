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
        writeHead(response, status: response.status, framing: framing, keepAlive: keepAlive, minorVersion: minorVersion, date: date, into: &buffer)
    }

    /// The same, with `response.status` already read (HTTPTypes parses it from text on each read).
    public static func writeHead(
        _ response: HTTPResponse,
        status: HTTPResponse.Status,
        framing: BodyFraming,
        keepAlive: Bool,
        minorVersion: Int,
        date: String,
        into buffer: inout [UInt8]
    ) {
        if minorVersion == 1, let line = statusLine11(status) {
            append(line, to: &buffer)
        } else {
            append(minorVersion == 0 ? "HTTP/1.0 " : "HTTP/1.1 ", to: &buffer)
            appendNumber(status.code, to: &buffer)
            buffer.append(UInt8(ascii: " "))
            append(status.reasonPhrase, to: &buffer)
            append("\r\n", to: &buffer)
        }
        for field in response.headerFields {
            if isConnectionField(field.name) { continue }
            append(field.name.rawName, to: &buffer)
            append(": ", to: &buffer)
            append(field.value, to: &buffer)
            append("\r\n", to: &buffer)
        }
        append("Date: ", to: &buffer)
        append(date, to: &buffer)
        append("\r\n", to: &buffer)
        switch framing {
        case .length(let count):
            append("Content-Length: ", to: &buffer)
            appendNumber(count, to: &buffer)
            append("\r\n", to: &buffer)
        case .chunked:
            append("Transfer-Encoding: chunked\r\n", to: &buffer)
        case .noBody:
            break
        }
        if !keepAlive {
            append("Connection: close\r\n", to: &buffer)
        } else if minorVersion == 0 {
            append("Connection: keep-alive\r\n", to: &buffer)
        }
        append("\r\n", to: &buffer)
    }

    /// The HTTP/1.1 status lines the app sends most, written as one piece (when the reason
    /// phrase is the standard one).
    static func statusLine11(_ status: HTTPResponse.Status) -> StaticString? {
        let line: StaticString, phrase: String
        switch status.code {
        case 200: (line, phrase) = ("HTTP/1.1 200 OK\r\n", "OK")
        case 304: (line, phrase) = ("HTTP/1.1 304 Not Modified\r\n", "Not Modified")
        case 404: (line, phrase) = ("HTTP/1.1 404 Not Found\r\n", "Not Found")
        case 405: (line, phrase) = ("HTTP/1.1 405 Method Not Allowed\r\n", "Method Not Allowed")
        case 500: (line, phrase) = ("HTTP/1.1 500 Internal Server Error\r\n", "Internal Server Error")
        case 503: (line, phrase) = ("HTTP/1.1 503 Service Unavailable\r\n", "Service Unavailable")
        default: return nil
        }
        return status.reasonPhrase == phrase ? line : nil
    }

    /// Constant text: copied from the binary, with no reference counting.
    static func append(_ text: StaticString, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A string's UTF-8 in one copy.
    static func append(_ text: String, to buffer: inout [UInt8]) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
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
        append(String(data.count, radix: 16), to: &buffer)
        append("\r\n", to: &buffer)
        buffer.append(contentsOf: data)
        append("\r\n", to: &buffer)
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
        append(String(value), to: &buffer)
    }
}
