import HTTPTypes

/// The field lines of a head (RFC 9112 §5), validated and read once for requests and responses
/// alike, with what framing and connection management need picked out on the way: the values of
/// `Host`, `Content-Length`, `Transfer-Encoding`, `Connection` and `Expect`.
struct HTTP1FieldSection {
    var fields = HTTPFields()
    var host: String?
    var hostCount = 0
    var contentLength: Int?
    var transferCodings: [Substring] = []
    var sawTransferEncoding = false
    var connectionClose = false
    var connectionKeepAlive = false
    /// `nil` without `Expect`; `true` for `100-continue`, `false` for anything else.
    var expectsContinue: Bool?

    /// Reads the lines in `range` of `bytes` (each ends in CRLF, as the scanner checked). `Host` is
    /// kept apart (it becomes a request's authority, as in HTTP/2) when `hostIsAuthority`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, limits: HTTP1Limits, hostIsAuthority: Bool) throws(HTTP1ParseError) {
        var fieldCount = 0
        var lineStart = range.lowerBound
        while lineStart < range.upperBound {
            var lineEnd = lineStart
            while bytes[lineEnd] != UInt8(ascii: "\r") { lineEnd += 1 }
            defer { lineStart = lineEnd + 2 }
            fieldCount += 1
            if fieldCount > limits.maxHeaderCount { throw .tooManyHeaderFields }
            let first = bytes[lineStart]
            if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { throw .obsoleteLineFolding }

            var colon = lineStart
            while colon < lineEnd && bytes[colon] != UInt8(ascii: ":") {
                let byte = bytes[colon]
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { throw .whitespaceBeforeColon }
                guard HTTPSyntax.isTokenByte(byte) else { throw .invalidFieldName }
                colon += 1
            }
            guard colon < lineEnd, colon > lineStart else { throw .invalidFieldName }
            var valueStart = colon + 1
            var valueEnd = lineEnd
            while valueStart < valueEnd && HTTPSyntax.isWhitespace(bytes[valueStart]) { valueStart += 1 }
            while valueEnd > valueStart && HTTPSyntax.isWhitespace(bytes[valueEnd - 1]) { valueEnd -= 1 }
            var ascii = true
            for index in valueStart..<valueEnd {
                let byte = bytes[index]
                guard HTTPSyntax.isFieldValueByte(byte) else { throw .invalidFieldValue }
                if byte >= 0x80 { ascii = false }
            }
            let nameBytes = UnsafeBufferPointer(rebasing: bytes[lineStart..<colon])
            let valueBytes = UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd])

            let (known, common) = HTTPSyntax.classify(nameBytes)
            switch known {
            case .host:
                hostCount += 1
                host = String(decoding: valueBytes, as: UTF8.self)
                if hostIsAuthority { continue }
            case .contentLength:
                if contentLength != nil { throw .duplicateContentLength }
                contentLength = try Self.parseContentLength(valueBytes)
            case .transferEncoding:
                sawTransferEncoding = true
                let text = String(decoding: valueBytes, as: UTF8.self).lowercased()
                transferCodings += text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
            case .connection:
                for token in String(decoding: valueBytes, as: UTF8.self).lowercased().split(separator: ",") {
                    let option = token.trimmingWhitespace()
                    if option == "close" { connectionClose = true }
                    if option == "keep-alive" { connectionKeepAlive = true }
                }
            case .expect:
                expectsContinue = String(decoding: valueBytes, as: UTF8.self).lowercased() == "100-continue"
            case .other:
                break
            }
            guard let name = common ?? HTTPField.Name(String(decoding: nameBytes, as: UTF8.self)) else {
                throw .invalidFieldName
            }
            // ASCII values as strings (short ones need no allocation, and reading them makes no
            // copy); values with other bytes (obs-text) kept as bytes, exactly as they came.
            fields.append(ascii ? HTTPField(name: name, value: String(decoding: valueBytes, as: UTF8.self)) : HTTPField(name: name, value: valueBytes))
        }
    }

    /// Whether the message is chunked, checked as RFC 9112 §6.1 and §6.3 require: never with
    /// Content-Length, `chunked` last and once, and no other coding (which this codec does not do).
    func isChunked(minorVersion: Int) throws(HTTP1ParseError) -> Bool {
        guard sawTransferEncoding else { return false }
        if contentLength != nil { throw .contentLengthWithTransferEncoding }
        if minorVersion == 0 { throw .transferEncodingOnHTTP10 }
        guard transferCodings.last == "chunked", transferCodings.filter({ $0 == "chunked" }).count == 1 else {
            throw .invalidTransferEncoding
        }
        guard transferCodings.count == 1 else { throw .unsupportedTransferCoding }
        return true
    }

    /// Whether the peer wants the connection kept open (RFC 9112 §9.3).
    func keepAlive(minorVersion: Int) -> Bool {
        minorVersion >= 1 ? !connectionClose : (connectionKeepAlive && !connectionClose)
    }

    /// 1*DIGIT, at most 18 digits so it cannot overflow (RFC 9110 §8.6).
    static func parseContentLength(_ value: UnsafeBufferPointer<UInt8>) throws(HTTP1ParseError) -> Int {
        guard !value.isEmpty, value.count <= 18 else { throw .invalidContentLength }
        var result = 0
        for byte in value {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { throw .invalidContentLength }
            result = result * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return result
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs (OWS, RFC 9110 §5.6.3).
    package func trimmingWhitespace() -> Substring {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
        while end > start, self[index(before: end)] == " " || self[index(before: end)] == "\t" { end = index(before: end) }
        return self[start..<end]
    }
}
