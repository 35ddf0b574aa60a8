import HTTPTypes

/// Turns the bytes of a complete head into an `HTTP1RequestHead`, validating every rule that keeps
/// two parsers from reading the same bytes differently (RFC 9112 §3, §5, §6.1, §6.3).
enum HTTP1HeadBuilder {
    static func build(
        _ bytes: UnsafeBufferPointer<UInt8>,
        requestLine: Range<Int>,
        fields: Range<Int>,
        limits: HTTP1Limits
    ) throws(HTTP1ParseError) -> HTTP1RequestHead {
        let line = try RequestLine(bytes, requestLine)
        var headerFields = HTTPFields()
        var host: String?
        var hostCount = 0
        var contentLength: Int?
        var transferCodings: [Substring] = []
        var sawTransferEncoding = false
        var connectionClose = false
        var connectionKeepAlive = false
        var expectsContinue = false
        var fieldCount = 0

        var lineStart = fields.lowerBound
        while lineStart < fields.upperBound {
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
                continue // carried as the request's authority, as in HTTP/2
            case .contentLength:
                if contentLength != nil { throw .duplicateContentLength }
                contentLength = try parseContentLength(valueBytes)
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
                let value = String(decoding: valueBytes, as: UTF8.self).lowercased()
                guard value == "100-continue" else { throw .unsupportedExpectation }
                expectsContinue = line.minorVersion >= 1
            case .other:
                break
            }
            guard let name = common ?? HTTPField.Name(String(decoding: nameBytes, as: UTF8.self)) else {
                throw .invalidFieldName
            }
            // ASCII values as strings (short ones need no allocation, and reading them makes no
            // copy); values with other bytes (obs-text) kept as bytes, exactly as they came.
            headerFields.append(ascii ? HTTPField(name: name, value: String(decoding: valueBytes, as: UTF8.self)) : HTTPField(name: name, value: valueBytes))
        }

        if hostCount > 1 { throw .duplicateHost }
        if hostCount == 0 && line.minorVersion >= 1 && line.authority == nil { throw .missingHost }

        var framing = HTTP1RequestHead.Framing.none
        if sawTransferEncoding {
            if contentLength != nil { throw .contentLengthWithTransferEncoding }
            if line.minorVersion == 0 { throw .transferEncodingOnHTTP10 }
            guard transferCodings.last == "chunked", transferCodings.filter({ $0 == "chunked" }).count == 1 else {
                throw .invalidTransferEncoding
            }
            guard transferCodings.count == 1 else { throw .unsupportedTransferCoding }
            framing = .chunked
        } else if let contentLength, contentLength > 0 {
            if contentLength > limits.maxBodyBytes { throw .bodyTooLarge }
            framing = .contentLength(contentLength)
        }

        let keepAlive = line.minorVersion >= 1 ? !connectionClose : (connectionKeepAlive && !connectionClose)
        let request = HTTPRequest(
            method: line.method,
            scheme: line.scheme,
            authority: line.authority ?? host,
            path: line.path,
            headerFields: headerFields
        )
        return HTTP1RequestHead(
            request: request,
            minorVersion: line.minorVersion,
            framing: framing,
            keepAlive: keepAlive,
            expectsContinue: expectsContinue && framing != .none
        )
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
