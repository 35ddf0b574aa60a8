public import HTTPTypes

/// How a message's body is delimited on the wire (RFC 9112 §6): one type for requests and
/// responses, read by the parsers and written by the serializers, on the server and the client.
public enum HTTP1BodyFraming: Sendable, Equatable {
    /// No body and no framing field: a request with neither `Content-Length` nor
    /// `Transfer-Encoding` (RFC 9112 §6.3 rule 7), a 1xx, 204 or 304 response (RFC 9110 §8.6),
    /// `Content-Length: 0` when parsed.
    case none
    /// `Content-Length: n`, then n bytes (none, for a response to HEAD, which keeps the length).
    case length(Int)
    /// `Transfer-Encoding: chunked` (RFC 9112 §7.1; written by `HTTP1Chunks`).
    case chunked
    /// A response with neither field: its body runs until the server closes (RFC 9112 §6.3
    /// rule 8). Never a request's.
    case untilClose
}

/// The chunked coding (RFC 9112 §7.1), written: the one chunk writer for a server's streamed
/// response and a client's streamed request.
public enum HTTP1Chunks {
    /// Appends one chunk (`size CRLF data CRLF`). `data` must not be empty: an empty chunk is the
    /// last one.
    public static func write(_ data: [UInt8], into buffer: inout [UInt8]) {
        buffer.append(contentsOf: String(data.count, radix: 16).utf8)
        buffer.append(contentsOf: [13, 10])
        buffer.append(contentsOf: data)
        buffer.append(contentsOf: [13, 10])
    }

    /// The last chunk, then `trailers` as field lines, then the empty line (RFC 9112 §7.1.2).
    /// A trailer whose value holds a CR or LF is not written: it would end the message early.
    public static func writeLast(trailers: HTTPFields = [:], into buffer: inout [UInt8]) {
        guard !trailers.isEmpty else { return buffer.append(contentsOf: last) }
        buffer.append(contentsOf: "0\r\n".utf8)
        for field in trailers where field.value.utf8.allSatisfy(HTTPSyntax.isFieldValueByte) {
            HTTP1RequestSerializer.appendFieldLine(field, to: &buffer)
        }
        buffer.append(contentsOf: "\r\n".utf8)
    }

    /// The last chunk with no trailers.
    static let last: [UInt8] = Array("0\r\n\r\n".utf8)
}
