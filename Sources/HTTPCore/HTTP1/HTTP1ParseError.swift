public import HTTPTypes

/// Why a request could not be parsed, and the status that says so. After any of these the server
/// answers and closes: the framing of what follows can no longer be trusted.
public enum HTTP1ParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedRequestLine
    /// A response's start line is not `HTTP/1.x SP 3DIGIT SP reason` (RFC 9112 §4): the client side.
    case malformedStatusLine
    case requestLineTooLong
    case headerSectionTooLarge
    case tooManyHeaderFields
    case invalidFieldName
    case invalidFieldValue
    case whitespaceBeforeColon
    case obsoleteLineFolding
    case bareLineEnding
    case missingHost
    case duplicateHost
    case invalidHost
    case invalidTarget
    case invalidContentLength
    case duplicateContentLength
    case contentLengthWithTransferEncoding
    case transferEncodingOnHTTP10
    case unsupportedTransferCoding
    case invalidTransferEncoding
    case unsupportedVersion
    case unsupportedExpectation
    case bodyTooLarge
    case invalidChunk

    /// The status to answer with.
    public var status: HTTPResponse.Status {
        switch self {
        case .requestLineTooLong: .uriTooLong
        case .headerSectionTooLarge, .tooManyHeaderFields: .requestHeaderFieldsTooLarge
        case .unsupportedVersion: .httpVersionNotSupported
        case .unsupportedTransferCoding: .notImplemented
        case .unsupportedExpectation: .expectationFailed
        case .bodyTooLarge: .contentTooLarge
        default: .badRequest
        }
    }

    public var description: String {
        switch self {
        case .malformedRequestLine: "malformed request line"
        case .malformedStatusLine: "malformed status line"
        case .requestLineTooLong: "request line too long"
        case .headerSectionTooLarge: "header section too large"
        case .tooManyHeaderFields: "too many header fields"
        case .invalidFieldName: "invalid header field name"
        case .invalidFieldValue: "invalid character in a header field value"
        case .whitespaceBeforeColon: "whitespace between a field name and its colon"
        case .obsoleteLineFolding: "obsolete line folding"
        case .bareLineEnding: "line not ended by CRLF"
        case .missingHost: "missing Host header field"
        case .duplicateHost: "more than one Host header field"
        case .invalidHost: "Host is not a host name or address with an optional port"
        case .invalidTarget: "the request target is not an origin-form path (a fragment, a space or a bad escape)"
        case .invalidContentLength: "invalid Content-Length"
        case .duplicateContentLength: "more than one Content-Length"
        case .contentLengthWithTransferEncoding: "both Content-Length and Transfer-Encoding"
        case .transferEncodingOnHTTP10: "Transfer-Encoding on an HTTP/1.0 request"
        case .unsupportedTransferCoding: "unsupported transfer coding"
        case .invalidTransferEncoding: "Transfer-Encoding does not end with chunked"
        case .unsupportedVersion: "unsupported HTTP version"
        case .unsupportedExpectation: "unsupported expectation"
        case .bodyTooLarge: "body too large"
        case .invalidChunk: "invalid chunked encoding"
        }
    }
}
