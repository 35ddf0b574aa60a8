import Digest
import HTTPCore
import HTTPTypes
@testable import LambdaRuntime
import Testing
import Timekeeping

/// Every fixture event mapped to a `Request`, and the events that must be refused.
@Suite("events: decoding")
struct EventDecodingTests {
    func request(_ fixture: String) throws -> (Request, HTTPEventFormat) {
        guard case .http(let request, let format) = try LambdaEvent.decode(Fixtures.invocation(fixture)) else {
            Issue.record("\(fixture) is not an HTTP event")
            throw LambdaEventError.unsupported("not HTTP")
        }
        return (request, format)
    }

    @Test("Function URL: raw path and query as sent, comma-joined headers kept, cookies joined, base64 off, peer")
    func functionURL() throws {
        let (request, format) = try request("function-url-post.json")
        #expect(format == .functionURL)
        #expect(request.head.method == .post)
        #expect(request.head.path == "/my/path?parameter1=value1&parameter1=value2&parameter2=value")
        #expect(request.head.headerFields[HTTPField.Name("header2")!] == "value1,value2")
        #expect(request.head.headerFields[values: HTTPField.Name("header2")!].count == 1)
        #expect(request.head.headerFields[.cookie] == "cookie1; cookie2")
        #expect(request.head.authority == "<url-id>.lambda-url.us-west-2.on.aws")
        #expect(String(decoding: request.body, as: UTF8.self) == "Hello from client!")
        #expect(request.peer == "123.123.123.123")
        #expect(request.requestID == "8476a536-e9f4-11e8-9739-2dfe598c3fcd")
        let deadline = try #require(request.deadline)
        #expect(deadline > .now() && deadline < .after(.seconds(11)))
    }

    @Test("HTTP API 2.0: a base64 body is decoded")
    func base64Body() throws {
        let (request, _) = try request("http-api-v2-get.json")
        #expect(request.head.method == .get)
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"test":"body"}"#)
        #expect(request.peer == "192.168.0.1/32")
    }

    @Test("API Gateway 1.0: multi-value headers one field each, Host as authority, query rebuilt and percent-encoded")
    func restV1() throws {
        let (request, format) = try request("apigateway-rest-v1.json")
        #expect(format == .apiGatewayV1)
        #expect(request.head.path == "/?q=two%20words&tag=a&tag=b%26c")
        #expect(request.head.authority == "70ixmpl4fl.execute-api.us-east-2.amazonaws.com")
        #expect(request.head.headerFields[.acceptEncoding] == "gzip, deflate, br")
        #expect(request.head.headerFields[HTTPField.Name("host")!] == nil)
        #expect(request.peer == "203.0.113.17")
        #expect(request.body.isEmpty)
    }

    @Test("an EventBridge schedule is a keep-warm ping")
    func scheduled() throws {
        guard case .scheduled = try LambdaEvent.decode(Fixtures.invocation("scheduled-event.json")) else {
            Issue.record("not scheduled")
            return
        }
    }

    @Test("an S3 event is refused as unsupported")
    func unsupported() {
        #expect(throws: LambdaEventError.self) { try LambdaEvent.decode(Fixtures.invocation("s3-put.json")) }
        do {
            _ = try LambdaEvent.decode(Fixtures.invocation("s3-put.json"))
        } catch {
            #expect(error.report.type == "Runtime.UnsupportedEvent")
        }
    }

    static let invalid: [(String, String)] = [
        ("not JSON", "{"),
        ("not an object", "[1]"),
        ("bad base64", #"{"version":"2.0","rawPath":"/","requestContext":{"http":{"method":"POST"}},"body":"@@@","isBase64Encoded":true}"#),
        ("method not a token", #"{"version":"2.0","rawPath":"/","requestContext":{"http":{"method":"G ET"}}}"#),
        ("path without a slash", #"{"version":"2.0","rawPath":"x","requestContext":{"http":{"method":"GET"}}}"#),
        ("fragment-free target with a space", #"{"version":"2.0","rawPath":"/a b","requestContext":{"http":{"method":"GET"}}}"#),
        ("line break in a header value", #"{"version":"2.0","rawPath":"/","headers":{"x":"a\r\nInjected: yes"},"requestContext":{"http":{"method":"GET"}}}"#),
        ("header name not a token", #"{"version":"2.0","rawPath":"/","headers":{"a b":"c"},"requestContext":{"http":{"method":"GET"}}}"#),
    ]

    @Test("a known format that does not decode is refused as invalid", arguments: invalid)
    func invalidEvents(_ test: (String, String)) {
        let invocation = Invocation(requestID: "r", deadlineMilliseconds: 0, event: Array(test.1.utf8))
        do {
            _ = try LambdaEvent.decode(invocation)
            Issue.record("\(test.0) was accepted")
        } catch {
            #expect(error.report.type == (test.0 == "not an object" ? "Runtime.UnsupportedEvent" : "Runtime.InvalidEvent"), "\(test.0)")
        }
    }

    @Test("base64 round trip, padding and refusals")
    func base64() {
        for text in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
            let encoded = Base64.encode(Array(text.utf8))
            #expect(Base64.decode(encoded) == Array(text.utf8))
        }
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.decode("Zm8") == nil)
        #expect(Base64.decode("Zm9v!mFy") == nil)
        let all = (0...255).map { UInt8($0) }
        #expect(Base64.decode(Base64.encode(all)) == all)
    }
}
