import Digest
import HTTPCore
import HTTPTypes
import JSON

/// A `Response` in the shape Lambda's HTTP front doors take back (AWS Lambda Developer Guide,
/// "Lambda function URLs: request and response payloads"; API Gateway "Output format of a Lambda
/// function for proxy integration").
///
/// Payload 2.0 answers carry `headers` (repeated fields joined by ", ", RFC 9110 §5.3) and every
/// `Set-Cookie` apart in `cookies`, since cookies may never be joined (RFC 6265 §3). Payload 1.0
/// answers carry `multiValueHeaders`, one value per field. A body goes out as text when it is
/// UTF-8 text with no content coding, and as base64 (`isBase64Encoded`) otherwise: gzip, images.
enum EventResponse {
    /// The answer to `/response` for a buffered invocation.
    static func json(_ response: Response, body: [UInt8], format: HTTPEventFormat) -> [UInt8] {
        var writer = JSONWriter(capacity: body.count + body.count / 3 + 512)
        writer.beginObject()
        writer.key("statusCode")
        writer.number(response.head.status.code)
        let fields = response.headerFieldsWithRequestID
        switch format {
        case .functionURL:
            writeHeaders(fields, cookies: true, to: &writer)
        case .apiGatewayV1:
            writer.key("multiValueHeaders")
            writer.beginObject()
            var done: Set<HTTPField.Name> = []
            for field in fields where !isFrontEndField(field.name) && !done.contains(field.name) {
                done.insert(field.name)
                writer.key(field.name.rawName)
                writer.beginArray()
                for value in fields[values: field.name] { writer.string(value) }
                writer.endArray()
            }
            writer.endObject()
        }
        let text = isText(response.head.headerFields) ? String(validating: body, as: UTF8.self) : nil
        writer.key("body")
        writer.string(text ?? Base64.encode(body))
        writer.key("isBase64Encoded")
        writer.bool(text == nil)
        writer.endObject()
        return writer.bytes
    }

    /// The prelude of a streamed Function URL answer: `{statusCode, headers, cookies}` and eight
    /// NUL bytes, after which the body follows as it is (Lambda, "Response streaming": the
    /// `application/vnd.awslambda.http-integration-response` content type).
    static func streamingPrelude(_ response: Response) -> [UInt8] {
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        writer.key("statusCode")
        writer.number(response.head.status.code)
        writeHeaders(response.headerFieldsWithRequestID, cookies: true, to: &writer)
        writer.endObject()
        return writer.bytes + [UInt8](repeating: 0, count: 8)
    }

    static let streamingContentType = "application/vnd.awslambda.http-integration-response"

    private static func writeHeaders(_ fields: HTTPFields, cookies: Bool, to writer: inout JSONWriter) {
        writer.key("headers")
        writer.beginObject()
        var done: Set<HTTPField.Name> = []
        for field in fields where field.name != .setCookie && !isFrontEndField(field.name) && !done.contains(field.name) {
            done.insert(field.name)
            writer.key(field.name.canonicalName)
            writer.string(fields[values: field.name].joined(separator: ", "))
        }
        writer.endObject()
        writer.key("cookies")
        writer.beginArray()
        for value in fields[values: .setCookie] { writer.string(value) }
        writer.endArray()
    }

    /// Framing and connection fields are Lambda's to set, as they are the socket server's.
    private static func isFrontEndField(_ name: HTTPField.Name) -> Bool {
        name == .contentLength || name == .transferEncoding || name == .connection
    }

    /// Text types without a content coding go out as text.
    static func isText(_ fields: HTTPFields) -> Bool {
        if let coding = fields[.contentEncoding], coding.lowercased() != "identity" { return false }
        guard let type = fields[.contentType]?.lowercased() else { return true }
        let bare = type.split(separator: ";").first.map { $0.trimmingWhitespace() } ?? ""
        return bare.hasPrefix("text/") || bare == "application/json" || bare == "application/javascript"
            || bare == "application/xml" || bare.hasSuffix("+json") || bare.hasSuffix("+xml")
            || bare == "image/svg+xml" || bare == "application/x-www-form-urlencoded"
    }
}
