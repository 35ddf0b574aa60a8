public import HTTPTypes

/// Writes a request head in HTTP/1.1 wire form (RFC 9112 §3, §7.1), for the
/// client: the same codec as the server's serializer, seen from the other side. Fields that
/// belong to the connection (`Content-Length`, `Transfer-Encoding`, `Connection`) are written
/// here from `framing`, never copied from the caller, so a request is framed exactly once.
public enum HTTP1RequestSerializer {
    /// Appends `method SP path SP HTTP/1.1`, `Host`, the caller's fields and the framing.
    public static func writeHead(
        method: HTTPRequest.Method,
        path: String,
        host: String,
        fields: HTTPFields,
        framing: HTTP1BodyFraming,
        trailerNames: [String] = [],
        into buffer: inout [UInt8]
    ) {
        buffer.append(contentsOf: method.rawValue.utf8)
        buffer.append(UInt8(ascii: " "))
        buffer.append(contentsOf: path.utf8)
        buffer.append(contentsOf: " HTTP/1.1\r\nHost: ".utf8)
        buffer.append(contentsOf: host.utf8)
        buffer.append(contentsOf: "\r\n".utf8)
        for field in fields where !HTTP1ResponseSerializer.isConnectionField(field.name) && field.name != .trailer {
            appendFieldLine(field, to: &buffer)
        }
        switch framing {
        case .length(let count):
            // RFC 9110 §8.6: a request without content and a method that expects none sends no length.
            if count > 0 || method == .post || method == .put || method == .patch {
                buffer.append(contentsOf: "Content-Length: \(count)\r\n".utf8)
            }
        case .chunked:
            buffer.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
            if !trailerNames.isEmpty {
                // RFC 9110 §6.6.2: announce the trailer fields that may follow.
                buffer.append(contentsOf: "Trailer: \(trailerNames.joined(separator: ", "))\r\n".utf8)
            }
        case .none, .untilClose:
            break
        }
        buffer.append(contentsOf: "\r\n".utf8)
    }

    /// `name: value` CRLF (RFC 9112 §5).
    static func appendFieldLine(_ field: HTTPField, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: field.name.rawName.utf8)
        buffer.append(contentsOf: ": ".utf8)
        buffer.append(contentsOf: field.value.utf8)
        buffer.append(contentsOf: "\r\n".utf8)
    }
}
