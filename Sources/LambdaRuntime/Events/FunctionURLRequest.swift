import Digest
import HTTPCore
import HTTPTypes
import JSON

/// A Function URL event (payload format 2.0, the same as API Gateway HTTP APIs) as a `Request`
/// (AWS Lambda Developer Guide, "Lambda function URLs: request and response payloads").
///
/// `rawPath` and `rawQueryString` are used as sent, never decoded and re-encoded. Repeated headers
/// arrive joined by commas in one value, which RFC 9110 §5.3 makes equivalent, so they stay one
/// field; cookies arrive apart, in `cookies`, and are joined back into one `Cookie` field with
/// "; " (RFC 6265 §5.4). The peer is `requestContext.http.sourceIp`.
enum FunctionURLRequest {
    static func decode(_ event: JSONObject) throws(LambdaEventError) -> Request {
        guard let http = event["requestContext"]?["http"]?.object else { throw .invalid("requestContext.http is missing") }
        let method = try EventFields.method(http["method"])
        guard let rawPath = event["rawPath"]?.string ?? http["path"]?.string else { throw .invalid("rawPath is missing") }
        var target = rawPath
        if let query = event["rawQueryString"]?.string, !query.isEmpty { target += "?" + query }
        try EventFields.checkTarget(target)

        var fields = HTTPFields()
        var authority: String?
        if let headers = event["headers"], !headers.isNull {
            guard let headers = headers.object else { throw .invalid("headers is not an object") }
            for member in headers.members {
                guard let value = member.value.string else { throw .invalid("the header \"\(member.key)\" is not a string") }
                try EventFields.append(name: member.key, value: value, to: &fields, authority: &authority)
            }
        }
        if let cookies = event["cookies"]?.array, !cookies.isEmpty {
            var joined: [String] = []
            for cookie in cookies {
                guard let text = cookie.string else { throw .invalid("a cookie is not a string") }
                joined.append(text)
            }
            try EventFields.append(name: "cookie", value: joined.joined(separator: "; "), to: &fields, authority: &authority)
        }
        let head = HTTPRequest(method: method, scheme: "https", authority: authority ?? event["requestContext"]?["domainName"]?.string,
                               path: target, headerFields: fields)
        return Request(head: head, body: try EventFields.body(event), peer: http["sourceIp"]?.string)
    }
}

extension FunctionURLRequest {
    /// `request` as the Function URL event Lambda would send for it: what the warm-up runs
    /// through the decoder, so that the first real event does not pay for its first use.
    static func event(for request: Request) -> [UInt8] {
        let target = request.head.path ?? "/"
        let (path, query) = target.firstIndex(of: "?").map { (String(target[..<$0]), String(target[target.index(after: $0)...])) } ?? (target, "")
        var writer = JSONWriter(capacity: 384)
        writer.beginObject()
        writer.key("version"); writer.string("2.0")
        writer.key("routeKey"); writer.string("$default")
        writer.key("rawPath"); writer.string(path)
        writer.key("rawQueryString"); writer.string(query)
        writer.key("headers")
        writer.beginObject()
        if let authority = request.head.authority { writer.key("host"); writer.string(authority) }
        for field in request.head.headerFields {
            writer.key(field.name.canonicalName)
            writer.string(field.value)
        }
        writer.endObject()
        writer.key("requestContext")
        writer.beginObject()
        writer.key("http")
        writer.beginObject()
        writer.key("method"); writer.string(request.head.method.rawValue)
        writer.key("path"); writer.string(path)
        writer.key("protocol"); writer.string("HTTP/1.1")
        writer.key("sourceIp"); writer.string("127.0.0.1")
        writer.endObject()
        writer.endObject()
        if !request.body.isEmpty {
            writer.key("body"); writer.string(Base64.encode(request.body))
        }
        writer.key("isBase64Encoded"); writer.bool(!request.body.isEmpty)
        writer.endObject()
        return writer.bytes
    }
}
