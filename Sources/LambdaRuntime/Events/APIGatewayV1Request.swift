import HTTPCore
import HTTPTypes
import JSON

/// An API Gateway REST API event (payload format 1.0) as a `Request` (AWS Lambda Developer Guide,
/// "Using Lambda with API Gateway": input format of a proxy integration).
///
/// Format 1.0 has no raw query string: the target is built from `multiValueQueryStringParameters`
/// (or `queryStringParameters`), percent-encoded. Header values come from `multiValueHeaders`
/// when present, one field each, so a repeated header keeps every value.
enum APIGatewayV1Request {
    static func decode(_ event: JSONObject) throws(LambdaEventError) -> Request {
        let method = try EventFields.method(event["httpMethod"])
        guard let path = event["path"]?.string else { throw .invalid("path is missing") }
        var target = PercentEncoding.encode(path, keeping: PercentEncoding.pathBytes)
        let query = try queryPairs(event)
        if !query.isEmpty {
            target += "?" + query.map { PercentEncoding.encode($0.0, keeping: PercentEncoding.queryBytes) + "=" + PercentEncoding.encode($0.1, keeping: PercentEncoding.queryBytes) }.joined(separator: "&")
        }
        try EventFields.checkTarget(target)

        var fields = HTTPFields()
        var authority: String?
        if let multi = event["multiValueHeaders"]?.object {
            for member in multi.members {
                guard let values = member.value.array else { continue }
                for value in values {
                    guard let text = value.string else { throw .invalid("a value of header \"\(member.key)\" is not a string") }
                    try EventFields.append(name: member.key, value: text, to: &fields, authority: &authority)
                }
            }
        } else if let headers = event["headers"]?.object {
            for member in headers.members {
                guard let text = member.value.string else { throw .invalid("the header \"\(member.key)\" is not a string") }
                try EventFields.append(name: member.key, value: text, to: &fields, authority: &authority)
            }
        }
        let context = event["requestContext"]
        let head = HTTPRequest(method: method, scheme: "https", authority: authority ?? context?["domainName"]?.string, path: target, headerFields: fields)
        return Request(head: head, body: try EventFields.body(event), peer: context?["identity"]?["sourceIp"]?.string)
    }

    private static func queryPairs(_ event: JSONObject) throws(LambdaEventError) -> [(String, String)] {
        var pairs: [(String, String)] = []
        if let multi = event["multiValueQueryStringParameters"]?.object {
            for member in multi.members {
                for value in member.value.array ?? [] {
                    guard let text = value.string else { throw .invalid("a query value of \"\(member.key)\" is not a string") }
                    pairs.append((member.key, text))
                }
            }
        } else if let single = event["queryStringParameters"]?.object {
            for member in single.members {
                guard let text = member.value.string else { throw .invalid("the query value of \"\(member.key)\" is not a string") }
                pairs.append((member.key, text))
            }
        }
        return pairs
    }
}
