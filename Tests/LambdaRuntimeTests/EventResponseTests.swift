import Digest
import HTTPCore
import HTTPTypes
import JSON
@testable import LambdaRuntime
import Testing

/// `Response` back into the formats Lambda takes.
@Suite("events: answers")
struct EventResponseTests {
    func response(contentType: String, body: [UInt8], encoding: String? = nil) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        if let encoding { fields[.contentEncoding] = encoding }
        fields.append(HTTPField(name: .setCookie, value: "a=1; Path=/"))
        fields.append(HTTPField(name: .setCookie, value: "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"))
        fields.append(HTTPField(name: .vary, value: "Accept-Encoding"))
        fields.append(HTTPField(name: .vary, value: "Cookie"))
        fields[.contentLength] = "999"
        var response = Response(status: .created, headerFields: fields, body: .bytes(body))
        response.requestID = "req-1"
        return response
    }

    @Test("2.0: cookies apart (never folded), repeated fields joined, framing fields dropped, text as text")
    func functionURL() throws {
        let json = try JSONValue.parse(EventResponse.json(response(contentType: "text/html; charset=utf-8", body: Array("<p>hé</p>".utf8)), body: Array("<p>hé</p>".utf8), format: .functionURL))
        #expect(json["statusCode"]?.int == 201)
        #expect(json["cookies"]?.array == [.string("a=1; Path=/"), .string("b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT")])
        #expect(json["headers"]?["vary"]?.string == "Accept-Encoding, Cookie")
        #expect(json["headers"]?["x-request-id"]?.string == "req-1")
        #expect(json["headers"]?["set-cookie"] == nil)
        #expect(json["headers"]?["content-length"] == nil)
        #expect(json["body"]?.string == "<p>hé</p>")
        #expect(json["isBase64Encoded"]?.bool == false)
    }

    @Test("1.0: multiValueHeaders, every Set-Cookie its own value")
    func restV1() throws {
        let json = try JSONValue.parse(EventResponse.json(response(contentType: "application/json", body: Array("{}".utf8)), body: Array("{}".utf8), format: .apiGatewayV1))
        #expect(json["multiValueHeaders"]?["Set-Cookie"]?.array?.count == 2)
        #expect(json["multiValueHeaders"]?["Vary"]?.array == [.string("Accept-Encoding"), .string("Cookie")])
        #expect(json["headers"] == nil)
        #expect(json["body"]?.string == "{}")
    }

    @Test("gzip and binary bodies go out as base64, and come back byte for byte")
    func binary() throws {
        let gzip: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0x00]
        for (type, encoding) in [("text/css; charset=utf-8", "gzip"), ("image/png", nil)] as [(String, String?)] {
            let json = try JSONValue.parse(EventResponse.json(response(contentType: type, body: gzip, encoding: encoding), body: gzip, format: .functionURL))
            #expect(json["isBase64Encoded"]?.bool == true)
            #expect(Base64.decode(json["body"]?.string ?? "") == gzip)
        }
        // Text that is not UTF-8 cannot travel as a JSON string either.
        let json = try JSONValue.parse(EventResponse.json(response(contentType: "text/plain", body: [0xff, 0xfe]), body: [0xff, 0xfe], format: .functionURL))
        #expect(json["isBase64Encoded"]?.bool == true)
    }

    @Test("the streaming prelude is {statusCode, headers, cookies} and eight NUL bytes")
    func prelude() throws {
        let bytes = EventResponse.streamingPrelude(response(contentType: "text/plain", body: []))
        #expect(Array(bytes.suffix(8)) == [UInt8](repeating: 0, count: 8))
        let json = try JSONValue.parse(Array(bytes.dropLast(8)))
        #expect(json["statusCode"]?.int == 201)
        #expect(json["cookies"]?.array?.count == 2)
        #expect(json["body"] == nil)
    }
}
