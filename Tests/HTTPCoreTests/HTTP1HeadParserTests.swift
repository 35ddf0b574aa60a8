import HTTPTypes
import Testing
@testable import HTTPCore

@Suite("HTTP/1.1 request head parser")
struct HTTP1HeadParserTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let raw: String
        let expected: ParserHarness.Outcome
        var testDescription: String { name }
    }

    static let valid: [Case] = [
        Case(name: "simple GET", raw: "GET / HTTP/1.1\r\nHost: a\r\n\r\n", expected: .complete(consumed: 27)),
        Case(name: "leading empty line is ignored", raw: "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", expected: .complete(consumed: 29)),
        // Found by the fuzzer: cut after the second CR, the skipped lines were scanned again as a
        // request line and an inverted range crashed the server.
        Case(name: "two leading empty lines, cut anywhere", raw: "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", expected: .complete(consumed: 31)),
        Case(name: "pipelined bytes after the head are not consumed", raw: "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET", expected: .complete(consumed: 27)),
        Case(name: "HTTP/1.0 without Host", raw: "GET / HTTP/1.0\r\n\r\n", expected: .complete(consumed: 18)),
        Case(name: "OWS around a value", raw: "GET / HTTP/1.1\r\nHost: a\r\nX-A: \t v \t\r\n\r\n", expected: .complete(consumed: 39)),
        Case(name: "absolute-form carries the authority", raw: "GET http://example.com/x HTTP/1.1\r\nHost: other\r\n\r\n", expected: .complete(consumed: 50)),
        Case(name: "OPTIONS *", raw: "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", expected: .complete(consumed: 31)),
        Case(name: "Host with a port", raw: "GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n", expected: .complete(consumed: 42)),
        Case(name: "Host as an IPv6 literal with a port", raw: "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", expected: .complete(consumed: 34)),
        Case(name: "empty Host (RFC 9112 §3.2)", raw: "GET / HTTP/1.1\r\nHost:\r\n\r\n", expected: .complete(consumed: 25)),
        Case(name: "target with every pchar, a query and escapes", raw: "GET /a-._~!$&'()*+,;=:@/b%2F?q=/?%41 HTTP/1.1\r\nHost: a\r\n\r\n", expected: .complete(consumed: 58)),
    ]

    static let invalid: [Case] = [
        // Request smuggling: two framings, or framings two parsers could read differently.
        Case(name: "smuggling: Content-Length with Transfer-Encoding (CL.TE)", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n", expected: .invalid(.contentLengthWithTransferEncoding)),
        Case(name: "smuggling: Transfer-Encoding then Content-Length (TE.CL)", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n", expected: .invalid(.contentLengthWithTransferEncoding)),
        Case(name: "smuggling: duplicate Content-Length", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\n", expected: .invalid(.duplicateContentLength)),
        Case(name: "smuggling: Content-Length list", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4, 4\r\n\r\n", expected: .invalid(.invalidContentLength)),
        Case(name: "smuggling: signed Content-Length", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +4\r\n\r\n", expected: .invalid(.invalidContentLength)),
        Case(name: "smuggling: hex Content-Length", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x4\r\n\r\n", expected: .invalid(.invalidContentLength)),
        Case(name: "smuggling: overflowing Content-Length", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", expected: .invalid(.invalidContentLength)),
        Case(name: "smuggling: whitespace before colon", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length : 4\r\n\r\n", expected: .invalid(.whitespaceBeforeColon)),
        Case(name: "smuggling: obsolete line folding", raw: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", expected: .invalid(.obsoleteLineFolding)),
        Case(name: "smuggling: Transfer-Encoding not ending in chunked", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n", expected: .invalid(.invalidTransferEncoding)),
        Case(name: "smuggling: obfuscated Transfer-Encoding", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n", expected: .invalid(.invalidTransferEncoding)),
        Case(name: "smuggling: chunked twice", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", expected: .invalid(.invalidTransferEncoding)),
        Case(name: "smuggling: Transfer-Encoding on HTTP/1.0", raw: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", expected: .invalid(.transferEncodingOnHTTP10)),
        Case(name: "smuggling: bare LF line ending", raw: "GET / HTTP/1.1\nHost: a\r\n\r\n", expected: .invalid(.bareLineEnding)),
        Case(name: "smuggling: bare CR inside a line", raw: "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", expected: .invalid(.bareLineEnding)),
        Case(name: "NUL in a field value", raw: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{0}c\r\n\r\n", expected: .invalid(.invalidFieldValue)),
        Case(name: "control character in a field value", raw: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{1}c\r\n\r\n", expected: .invalid(.invalidFieldValue)),
        Case(name: "DEL in a field value", raw: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u{7F}c\r\n\r\n", expected: .invalid(.invalidFieldValue)),
        Case(name: "invalid field name", raw: "GET / HTTP/1.1\r\nHost: a\r\nX(A): b\r\n\r\n", expected: .invalid(.invalidFieldName)),
        Case(name: "empty field name", raw: "GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", expected: .invalid(.invalidFieldName)),
        Case(name: "missing Host on HTTP/1.1", raw: "GET / HTTP/1.1\r\n\r\n", expected: .invalid(.missingHost)),
        Case(name: "two Host fields", raw: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", expected: .invalid(.duplicateHost)),
        Case(name: "double space in request line", raw: "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", expected: .invalid(.malformedRequestLine)),
        Case(name: "lowercase version", raw: "GET / http/1.1\r\nHost: a\r\n\r\n", expected: .invalid(.malformedRequestLine)),
        Case(name: "target without slash", raw: "GET foo HTTP/1.1\r\nHost: a\r\n\r\n", expected: .invalid(.malformedRequestLine)),
        Case(name: "HTTP/2.0 on HTTP/1 framing", raw: "GET / HTTP/2.0\r\nHost: a\r\n\r\n", expected: .invalid(.unsupportedVersion)),
        Case(name: "unknown transfer coding", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", expected: .invalid(.unsupportedTransferCoding)),
        Case(name: "unknown expectation", raw: "POST / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\nContent-Length: 1\r\n\r\n", expected: .invalid(.unsupportedExpectation)),
        // RFC 9112 §3.2 and §3.2.1: what Host and an origin-form target may hold.
        Case(name: "Host with a space, a slash and dots", raw: "GET / HTTP/1.1\r\nHost: exa mple/../x\r\n\r\n", expected: .invalid(.invalidHost)),
        Case(name: "Host with a path", raw: "GET / HTTP/1.1\r\nHost: example.com/admin\r\n\r\n", expected: .invalid(.invalidHost)),
        Case(name: "Host with an empty label", raw: "GET / HTTP/1.1\r\nHost: a..b\r\n\r\n", expected: .invalid(.invalidHost)),
        Case(name: "Host with a port that is not digits", raw: "GET / HTTP/1.1\r\nHost: a:http\r\n\r\n", expected: .invalid(.invalidHost)),
        Case(name: "Host with user info", raw: "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", expected: .invalid(.invalidHost)),
        Case(name: "target with a fragment", raw: "GET /#frag HTTP/1.1\r\nHost: a\r\n\r\n", expected: .invalid(.invalidTarget)),
        Case(name: "target with a bad escape", raw: "GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n", expected: .invalid(.invalidTarget)),
        Case(name: "target with a cut escape", raw: "GET /a%4 HTTP/1.1\r\nHost: a\r\n\r\n", expected: .invalid(.invalidTarget)),
        Case(name: "target with bytes a URI cannot hold", raw: "GET /a<b>\"{|}\\^` HTTP/1.1\r\nHost: a\r\n\r\n", expected: .invalid(.invalidTarget)),
        Case(name: "absolute-form with a bad authority", raw: "GET http://a b/ HTTP/1.1\r\nHost: a\r\n\r\n", expected: .invalid(.malformedRequestLine)),
        Case(name: "absolute-form with a fragment", raw: "GET http://a/x#y HTTP/1.1\r\nHost: a\r\n\r\n", expected: .invalid(.invalidTarget)),
        Case(name: "fuzzer crash: empty lines, then NUL bytes", raw: "\r\n\r\n\u{0}\u{0}\u{e4}\u{ee}\u{0}\r\n\r\n", expected: .invalid(.malformedRequestLine)),
        Case(name: "body over the limit by Content-Length", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1048577\r\n\r\n", expected: .invalid(.bodyTooLarge)),
    ]

    @Test("valid heads parse the same whole, split anywhere, and byte by byte", arguments: valid)
    func validHeads(_ testCase: Case) {
        for outcome in ParserHarness.allOutcomes(testCase.raw) {
            #expect(outcome == testCase.expected, "\(testCase.name)")
        }
    }

    @Test("attacks and malformed heads are refused however they arrive", arguments: invalid)
    func invalidHeads(_ testCase: Case) {
        for outcome in ParserHarness.allOutcomes(testCase.raw) {
            #expect(outcome == testCase.expected, "\(testCase.name)")
        }
    }

    @Test func statusForEachRefusal() {
        #expect(HTTP1ParseError.contentLengthWithTransferEncoding.status == .badRequest)
        #expect(HTTP1ParseError.requestLineTooLong.status == .uriTooLong)
        #expect(HTTP1ParseError.headerSectionTooLarge.status == .requestHeaderFieldsTooLarge)
        #expect(HTTP1ParseError.tooManyHeaderFields.status == .requestHeaderFieldsTooLarge)
        #expect(HTTP1ParseError.bodyTooLarge.status == .contentTooLarge)
        #expect(HTTP1ParseError.unsupportedVersion.status == .httpVersionNotSupported)
        #expect(HTTP1ParseError.unsupportedTransferCoding.status == .notImplemented)
    }

    @Test func parsedFields() throws {
        let head = try #require(ParserHarness.head("POST /a/b?x=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\nX-Multi: 1\r\nX-Multi: 2\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n"))
        #expect(head.request.method == .post)
        #expect(head.request.path == "/a/b?x=1")
        #expect(head.request.authority == "example.com")
        #expect(head.framing == .length(5))
        #expect(head.keepAlive)
        // Repeated fields are all kept, in order.
        #expect(head.request.headerFields[values: HTTPField.Name("X-Multi")!] == ["1", "2"])
        #expect(head.request.headerFields[values: .setCookie] == ["a=1", "b=2"])
    }

    /// Methods are case-sensitive tokens (RFC 9110 §9.1): the fast path for GET/HEAD/POST must not
    /// turn `get` into `GET`, and every other token still parses.
    @Test(arguments: [("GET", "GET"), ("HEAD", "HEAD"), ("POST", "POST"), ("get", "get"), ("GETS", "GETS"),
                      ("POS", "POS"), ("DELETE", "DELETE"), ("PATCH", "PATCH"), ("M-SEARCH", "M-SEARCH")])
    func methods(sent: String, parsed: String) throws {
        let head = try #require(ParserHarness.head("\(sent) / HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(head.request.method.rawValue == parsed)
    }

    /// Common names come from a table, in any case; other names and non-ASCII values are kept as sent.
    @Test func fieldNamesInAnyCaseAndValuesAsSent() throws {
        var raw = Array("GET / HTTP/1.1\r\nHost: a\r\naCCEPT-encoding: gzip\r\nIF-NONE-MATCH: \"x\"\r\nX-Odd: ".utf8)
        raw += [0x63, 0x61, 0x66, 0xE9] // "caf" and a Latin-1 byte: obs-text, not UTF-8
        raw += Array("\r\nUser-Agent: a rather long user agent string\r\n\r\n".utf8)
        guard case .complete(let head, _) = ParserHarness.parse(raw, cuts: []) else {
            Issue.record("not parsed")
            return
        }
        #expect(head.request.headerFields[.acceptEncoding] == "gzip")
        #expect(head.request.headerFields[.ifNoneMatch] == "\"x\"")
        #expect(head.request.headerFields[.userAgent] == "a rather long user agent string")
        let odd = try #require(head.request.headerFields.first { $0.name.canonicalName == "x-odd" })
        #expect(odd.name.rawName == "X-Odd")
        #expect(odd.withUnsafeBytesOfValue { Array($0) } == [0x63, 0x61, 0x66, 0xE9])
    }

    @Test func keepAliveRules() throws {
        #expect(try #require(ParserHarness.head("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")).keepAlive == false)
        #expect(try #require(ParserHarness.head("GET / HTTP/1.0\r\n\r\n")).keepAlive == false)
        #expect(try #require(ParserHarness.head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")).keepAlive == true)
        #expect(try #require(ParserHarness.head("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade, CLOSE\r\n\r\n")).keepAlive == false)
    }

    @Test func chunkedAndContinue() throws {
        let head = try #require(ParserHarness.head("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\nExpect: 100-continue\r\n\r\n"))
        #expect(head.framing == .chunked)
        #expect(head.expectsContinue)
        let noBody = try #require(ParserHarness.head("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n"))
        #expect(!noBody.expectsContinue)
    }

    @Test func requestLineLimitIs414() {
        let target = "/" + String(repeating: "a", count: 8200)
        let outcome = ParserHarness.outcome(ParserHarness.parse(Array("GET \(target) HTTP/1.1\r\nHost: a\r\n\r\n".utf8), cuts: []))
        #expect(outcome == .invalid(.requestLineTooLong))
        // Refused before the line ends, so a client cannot make the server buffer without bound.
        let partial = ParserHarness.outcome(ParserHarness.parse(Array("GET \(target)".utf8), cuts: []))
        #expect(partial == .invalid(.requestLineTooLong))
    }

    @Test func headerSectionLimitsAre431() {
        let big = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "b", count: 17_000))\r\n\r\n"
        #expect(ParserHarness.outcome(ParserHarness.parse(Array(big.utf8), cuts: [])) == .invalid(.headerSectionTooLarge))
        let unfinished = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "b", count: 17_000))"
        #expect(ParserHarness.outcome(ParserHarness.parse(Array(unfinished.utf8), cuts: [])) == .invalid(.headerSectionTooLarge))
        let many = "GET / HTTP/1.1\r\nHost: a\r\n" + (0..<101).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        #expect(ParserHarness.outcome(ParserHarness.parse(Array(many.utf8), cuts: [])) == .invalid(.tooManyHeaderFields))
    }
}
