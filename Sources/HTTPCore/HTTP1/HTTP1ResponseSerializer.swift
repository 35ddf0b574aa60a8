public import HTTPTypes

/// Writes a response head in HTTP/1.1 wire form (RFC 9112 §4, §6), adding the fields that belong to
/// the connection rather than the app: `Date`, the framing (`Content-Length` or chunked) and
/// `Connection`. Fields the app set for framing are dropped, so a response is framed exactly once.
public enum HTTP1ResponseSerializer {
    /// Appends the head of `response` to `buffer`. `date` is the cached `Date` value. `status`,
    /// when given, is `response.status` already read (HTTPTypes parses it from text on each read).
    /// `requestID`, when it is a legal field value, goes out as `X-Request-Id` (see `Response.requestID`).
    public static func writeHead(
        _ response: HTTPResponse,
        status: HTTPResponse.Status? = nil,
        framing: HTTP1BodyFraming,
        keepAlive: Bool,
        minorVersion: Int,
        date: String,
        requestID: String? = nil,
        into buffer: inout [UInt8]
    ) {
        let status = status ?? response.status
        // Written on the stack, then appended in one piece; a head too large for that (its fields
        // are the app's) is written again into as much heap as it needs.
        var capacity = 4096
        while true {
            let done = withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 1) { memory in
                var writer = HeadWriter(memory)
                writeHead(response, status: status, framing: framing, keepAlive: keepAlive, minorVersion: minorVersion,
                          date: date, requestID: requestID, to: &writer)
                if writer.overflowed { return false }
                buffer.append(contentsOf: writer.written.assumingMemoryBound(to: UInt8.self)) // typed: a raw buffer is appended byte by byte
                return true
            }
            if done { return }
            capacity *= 4
        }
    }

    private static func writeHead(
        _ response: HTTPResponse,
        status: HTTPResponse.Status,
        framing: HTTP1BodyFraming,
        keepAlive: Bool,
        minorVersion: Int,
        date: String,
        requestID: String?,
        to writer: inout HeadWriter
    ) {
        if minorVersion == 1, let line = statusLine11(status) {
            writer.write(line)
        } else {
            writer.write(minorVersion == 0 ? "HTTP/1.0 " : "HTTP/1.1 ")
            writer.write(number: status.code)
            writer.write(byte: UInt8(ascii: " "))
            writer.write(status.reasonPhrase)
            writer.write("\r\n")
        }
        for field in response.headerFields {
            if isConnectionField(field.name) { continue }
            writer.write(field.name.rawName)
            writer.write(": ")
            writer.write(field.value) // the app makes its fields from strings: no conversion
            writer.write("\r\n")
        }
        if var requestID, requestID.withUTF8({ $0.allSatisfy(HTTPSyntax.isFieldValueByte) }) {
            writer.write("X-Request-Id: ")
            writer.write(requestID)
            writer.write("\r\n")
        }
        writer.write("Date: ")
        writer.write(date)
        writer.write("\r\n")
        switch framing {
        case .length(let count):
            writer.write("Content-Length: ")
            writer.write(number: count)
            writer.write("\r\n")
        case .chunked:
            writer.write("Transfer-Encoding: chunked\r\n")
        case .none, .untilClose:
            break
        }
        if !keepAlive {
            writer.write("Connection: close\r\n")
        } else if minorVersion == 0 {
            writer.write("Connection: keep-alive\r\n")
        }
        writer.write("\r\n")
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

    /// Whether a response with `status` may have a body at all.
    public static func allowsBody(_ status: HTTPResponse.Status) -> Bool {
        !(status.kind == .informational || status == .noContent || status == .notModified)
    }
}
