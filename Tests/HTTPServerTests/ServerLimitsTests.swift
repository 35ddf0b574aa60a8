import TestSupport
import Testing
@testable import HTTPServer

/// Each probe gets its status and a closed connection, and the server still answers afterwards.
@Suite("server: bad requests and limits", .serialized)
struct ServerLimitsTests {
    struct Probe: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: String
        let status: Int
        var testDescription: String { name }
    }

    static let probes: [Probe] = [
        Probe(name: "malformed request line", bytes: "HELLO\r\n\r\n", status: 400),
        Probe(name: "smuggling: Content-Length with Transfer-Encoding", bytes: "POST /echo/a HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX", status: 400),
        Probe(name: "smuggling: duplicate Content-Length", bytes: "POST /echo/a HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", status: 400),
        Probe(name: "invalid Content-Length", bytes: "POST /echo/a HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", status: 400),
        Probe(name: "bad chunk size", bytes: "POST /echo/a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", status: 400),
        Probe(name: "NUL in a field", bytes: "GET /health HTTP/1.1\r\nHost: a\r\nX: a\u{0}b\r\n\r\n", status: 400),
        Probe(name: "whitespace before colon", bytes: "GET /health HTTP/1.1\r\nHost : a\r\n\r\n", status: 400),
        Probe(name: "request line over 8 KiB", bytes: "GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: a\r\n\r\n", status: 414),
        Probe(name: "header section over 16 KiB", bytes: "GET / HTTP/1.1\r\nHost: a\r\nX: \(String(repeating: "a", count: 17_000))\r\n\r\n", status: 431),
        Probe(name: "over 100 fields", bytes: "GET / HTTP/1.1\r\nHost: a\r\n" + (0..<101).map { "X-\($0): 1\r\n" }.joined() + "\r\n", status: 431),
        Probe(name: "body over the limit", bytes: "POST /echo/a HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n", status: 413),
        Probe(name: "chunked body over the limit", bytes: "POST /echo/a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n100001\r\n" + String(repeating: "a", count: 70_000), status: 413),
        Probe(name: "HTTP/3.0", bytes: "GET / HTTP/3.0\r\nHost: a\r\n\r\n", status: 505),
    ]

    @Test("refused with the right status, then closed", arguments: probes)
    func probe(_ probe: Probe) throws {
        try withTestServer { _, port in
            let client = try RawClient(port: port)
            try? client.send(probe.bytes)
            let response = try #require(client.readResponse())
            #expect(response.status == probe.status)
            #expect(response.header("Connection") == "close")
            #expect(client.waitForClose())
            let after = try RawClient(port: port)
            try after.send("GET /health HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(after.readResponse()?.status == 200, "the server still answers")
        }
    }

    /// CL.0: a GET whose body looks like a second request. The body is read as body (by its
    /// Content-Length), never as a request, so exactly one response comes back for it.
    @Test func smugglingCL0OnGetIsReadAsBody() throws {
        try withTestServer { _, port in
            let client = try RawClient(port: port)
            let hidden = "GET /echo/hidden HTTP/1.1\r\nHost: a\r\n\r\n"
            try client.send("GET /echo/visible HTTP/1.1\r\nHost: a\r\nContent-Length: \(hidden.utf8.count)\r\n\r\n\(hidden)")
            #expect(client.readResponse()?.text == "GET /echo/visible \(hidden)")
            try client.send("GET /echo/next HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(client.readResponse()?.text == "GET /echo/next ", "the hidden request was never answered")
        }
    }

    @Test func customBodyLimit() throws {
        try withTestServer({ $0.limits.maxBodyBytes = 4 }) { _, port in
            let client = try RawClient(port: port)
            try client.send("POST /echo/a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")
            #expect(client.readResponse()?.status == 413)
            let ok = try RawClient(port: port)
            try ok.send("POST /echo/a HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nhell")
            #expect(ok.readResponse()?.text == "POST /echo/a hell")
        }
    }
}
