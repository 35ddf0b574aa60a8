public import HTTPTypes

/// An incremental parser for a response head (RFC 9112 §4, §6.3), the client's side of the same
/// codec the server uses: the same scanner and the same field rules, with a status line instead
/// of a request line. It is as strict as the request parser, since a client that reads a
/// response differently from a proxy in between is as exposed as a server.
public struct HTTP1ResponseHeadParser: Sendable {
    public enum Result: Sendable {
        case complete(HTTP1ResponseHead, consumed: Int)
        case needMore
        case invalid(HTTP1ParseError)
    }

    private var scanner: HTTP1HeadScanner
    private let limits: HTTP1Limits

    public init(limits: HTTP1Limits = HTTP1Limits(maxBodyBytes: .max)) {
        self.limits = limits
        self.scanner = HTTP1HeadScanner(limits: limits)
    }

    public mutating func reset() {
        scanner.reset()
    }

    /// Parses `bytes`, the unconsumed input; `requestMethod` is the method of the request this
    /// answers (a response to HEAD has no body whatever its fields say).
    public mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>, requestMethod: HTTPRequest.Method) -> Result {
        switch scanner.scan(bytes) {
        case .needMore: return .needMore
        // The scanner speaks of a request line; here the start line is a status line.
        case .invalid(let error): return .invalid(error == .malformedRequestLine ? .malformedStatusLine : error)
        case .complete(let startLine, let fields, let end):
            do throws(HTTP1ParseError) {
                return .complete(try build(bytes, startLine, fields, requestMethod), consumed: end)
            } catch {
                return .invalid(error)
            }
        }
    }

    private func build(_ bytes: UnsafeBufferPointer<UInt8>, _ startLine: Range<Int>, _ fields: Range<Int>,
                       _ method: HTTPRequest.Method) throws(HTTP1ParseError) -> HTTP1ResponseHead {
        let (code, reason, minorVersion) = try Self.statusLine(UnsafeBufferPointer(rebasing: bytes[startLine]))
        let section = try HTTP1FieldSection(bytes, fields, limits: limits, hostIsAuthority: false)
        var response = HTTPResponse(status: HTTPResponse.Status(code: code, reasonPhrase: reason))
        response.headerFields = section.fields
        let keepAlive = section.keepAlive(minorVersion: minorVersion)
        var framing: HTTP1BodyFraming
        if method == .head || code / 100 == 1 || code == 204 || code == 304 {
            framing = .none
        } else if try section.isChunked(minorVersion: minorVersion) {
            framing = .chunked
        } else if let length = section.contentLength {
            if length > limits.maxBodyBytes { throw .bodyTooLarge }
            framing = length == 0 ? .none : .length(length)
        } else {
            framing = .untilClose
        }
        return HTTP1ResponseHead(response: response, minorVersion: minorVersion, framing: framing,
                                 keepAlive: keepAlive && framing != .untilClose)
    }

    /// `HTTP/1.x SP 3DIGIT SP reason-phrase` (RFC 9112 §4); the reason may be empty.
    static func statusLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTP1ParseError) -> (Int, String, Int) {
        let prefix: StaticString = "HTTP/1."
        guard line.count >= 12 else { throw .malformedStatusLine }
        for index in 0..<prefix.utf8CodeUnitCount where line[index] != prefix.utf8Start[index] { throw .malformedStatusLine }
        guard line[7] == UInt8(ascii: "0") || line[7] == UInt8(ascii: "1"), line[8] == UInt8(ascii: " "), line.count == 12 || line[12] == UInt8(ascii: " ") else {
            throw .malformedStatusLine
        }
        var code = 0
        for index in 9..<12 {
            let byte = line[index]
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { throw .malformedStatusLine }
            code = code * 10 + Int(byte - UInt8(ascii: "0"))
        }
        guard code >= 100 else { throw .malformedStatusLine }
        var reason = ""
        if line.count > 13 {
            let phrase = UnsafeBufferPointer(rebasing: line[13...])
            guard phrase.allSatisfy(HTTPSyntax.isFieldValueByte) else { throw .malformedStatusLine }
            reason = String(decoding: phrase, as: UTF8.self)
        }
        return (code, reason, Int(line[7] - UInt8(ascii: "0")))
    }
}
