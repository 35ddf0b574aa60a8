import Digest
import HTTPCore
import HTTPTypes
import JSON

/// The parts of decoding that both HTTP event formats share: method, header fields, body.
enum EventFields {
    static func method(_ value: JSONValue?) throws(LambdaEventError) -> HTTPRequest.Method {
        guard let text = value?.string, let method = HTTPRequest.Method(text) else {
            throw .invalid("the event's HTTP method is missing or not a token")
        }
        return method
    }

    /// Appends one field; `Host` becomes the authority instead, as the HTTP/1.1 parser does.
    static func append(name: String, value: String, to fields: inout HTTPFields, authority: inout String?) throws(LambdaEventError) {
        guard let fieldName = HTTPField.Name(name) else { throw .invalid("the header name \"\(name)\" is not a token") }
        if fieldName.canonicalName == "host" {
            if authority == nil { authority = value }
            return
        }
        // RFC 9110 §5.5: CR, LF and NUL may never be in a value; HTTPTypes would quietly change them.
        guard !value.utf8.contains(where: { $0 == 0 || $0 == 10 || $0 == 13 }) else {
            throw .invalid("the value of header \"\(name)\" holds a line break or NUL")
        }
        fields.append(HTTPField(name: fieldName, value: value))
    }

    /// The body, decoded from base64 when the event says it is.
    static func body(_ object: JSONObject) throws(LambdaEventError) -> [UInt8] {
        guard let value = object["body"], !value.isNull else { return [] }
        guard let text = value.string else { throw .invalid("the event's body is not a string") }
        if object["isBase64Encoded"]?.bool == true {
            guard let bytes = Base64.decode(text) else { throw .invalid("the event's body is marked base64 but is not") }
            return bytes
        }
        return Array(text.utf8)
    }

    /// A request target must be origin-form and printable ASCII (RFC 9112 §3.2.1).
    static func checkTarget(_ target: String) throws(LambdaEventError) {
        guard target.utf8.first == UInt8(ascii: "/"), target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .invalid("the event's path is not an origin-form request target")
        }
    }
}
