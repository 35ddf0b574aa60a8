import HTTPTypes

/// Turns the bytes of a complete request head into an `HTTP1RequestHead`, validating every rule
/// that keeps two parsers from reading the same bytes differently (RFC 9112 §3, §5, §6.1, §6.3).
enum HTTP1HeadBuilder {
    static func build(
        _ bytes: UnsafeBufferPointer<UInt8>,
        requestLine: Range<Int>,
        fields: Range<Int>,
        limits: HTTP1Limits
    ) throws(HTTP1ParseError) -> HTTP1RequestHead {
        let line = try RequestLine(bytes, requestLine)
        let section = try HTTP1FieldSection(bytes, fields, limits: limits, hostIsAuthority: true)
        if section.expectsContinue == false { throw .unsupportedExpectation }
        if section.hostCount > 1 { throw .duplicateHost }
        // RFC 9112 §3.2: Host is uri-host [":" port]; anything else (spaces, "/") must get 400.
        if let host = section.host, !HTTPSyntax.isValidHost(host) { throw .invalidHost }
        if section.hostCount == 0 && line.minorVersion >= 1 && line.authority == nil { throw .missingHost }

        var framing = HTTP1BodyFraming.none
        if try section.isChunked(minorVersion: line.minorVersion) {
            framing = .chunked
        } else if let contentLength = section.contentLength, contentLength > 0 {
            if contentLength > limits.maxBodyBytes { throw .bodyTooLarge }
            framing = .length(contentLength)
        }

        let request = HTTPRequest(
            method: line.method,
            scheme: line.scheme,
            authority: line.authority ?? section.host,
            path: line.path,
            headerFields: section.fields
        )
        return HTTP1RequestHead(
            request: request,
            minorVersion: line.minorVersion,
            framing: framing,
            keepAlive: section.keepAlive(minorVersion: line.minorVersion),
            expectsContinue: section.expectsContinue == true && line.minorVersion >= 1 && framing != .none
        )
    }
}
