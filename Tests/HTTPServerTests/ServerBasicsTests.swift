import TestSupport
import Testing
@testable import HTTPServer

@Suite("server: requests and responses over a real socket", .serialized)
struct ServerBasicsTests {
    @Test func getHealth() throws {
        try withTestServer { _, port in
            let client = try RawClient(port: port)
            try client.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let response = try #require(client.readResponse())
            #expect(response.status == 200)
            #expect(response.text == #"{"status":"ok"}"#)
            #expect(response.header("Content-Length") == "15")
            #expect(response.header("Date")?.hasSuffix(" GMT") == true)
            #expect(response.header("Connection") == nil)
        }
    }

    @Test func keepAliveServesManyRequestsOnOneConnection() throws {
        try withTestServer { _, port in
            let client = try RawClient(port: port)
            for index in 0..<20 {
                try client.send("GET /echo/\(index) HTTP/1.1\r\nHost: a\r\n\r\n")
                #expect(client.readResponse()?.text == "GET /echo/\(index) ")
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        try withTestServer { _, port in
            let client = try RawClient(port: port)
            let requests = (0..<10).map { "POST /echo/\($0) HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nb\($0)" }.joined()
            try client.send(requests + "GET /echo/last HTTP/1.1\r\nHost: a\r\n\r\n")
            for index in 0..<10 {
                #expect(client.readResponse()?.text == "POST /echo/\(index) b\(index)")
            }
            #expect(client.readResponse()?.text == "GET /echo/last ")
        }
    }

    @Test func chunkedRequestBody() throws {
        try withTestServer { _, port in
            let client = try RawClient(port: port)
            try client.send("PUT /echo/c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4;x=y\r\ndefg\r\n0\r\n\r\n")
            #expect(client.readResponse()?.text == "PUT /echo/c abcdefg")
            try client.send("GET /echo/after HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(client.readResponse()?.text == "GET /echo/after ")
        }
    }

    @Test func expectContinueBeforeTheBody() throws {
        try withTestServer { _, port in
            let client = try RawClient(port: port)
            try client.send("POST /echo/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try #require(client.readResponse())
            #expect(interim.status == 100)
            try client.send("hello")
            #expect(client.readResponse()?.text == "POST /echo/x hello")
        }
    }

    @Test func headHasLengthButNoBody() throws {
        try withTestServer { _, port in
            let client = try RawClient(port: port)
            try client.send("HEAD /health HTTP/1.1\r\nHost: a\r\n\r\nGET /echo/next HTTP/1.1\r\nHost: a\r\n\r\n")
            let head = try #require(client.readResponse(head: true))
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "15")
            // Had a body been sent, it would be read as the start of the next response.
            #expect(client.readResponse()?.text == "GET /echo/next ")
        }
    }

    @Test func connectionCloseAndHTTP10() throws {
        try withTestServer { _, port in
            let client = try RawClient(port: port)
            try client.send("GET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            #expect(client.readResponse()?.header("Connection") == "close")
            #expect(client.waitForClose())

            let old = try RawClient(port: port)
            try old.send("GET /health HTTP/1.0\r\n\r\n")
            #expect(old.readResponse()?.status == 200)
            #expect(old.waitForClose())

            let kept = try RawClient(port: port)
            try kept.send("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(kept.readResponse()?.header("Connection") == "keep-alive")
            try kept.send("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(kept.readResponse()?.status == 200)
        }
    }

    /// `""`: handlers that answer at once (no task); `"/later"`: handlers that wait first.
    static let paths = ["", "/later"]

    @Test(arguments: paths)
    func handlerErrorsBecome500AndTheConnectionLives(_ prefix: String) throws {
        try withTestServer { _, port in
            let client = try RawClient(port: port)
            try client.send("GET \(prefix)/boom HTTP/1.1\r\nHost: a\r\n\r\n")
            let failed = try #require(client.readResponse())
            #expect(failed.status == 500)
            #expect(!failed.text.contains("TestFailure"), "no internals in the body")
            try client.send("GET \(prefix)/teapot HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(client.readResponse()?.status == 418)
            try client.send("GET \(prefix)/health HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(client.readResponse()?.status == 200)
        }
    }

    /// Pipelined requests mixing both kinds of handler are answered in order.
    @Test func immediateAndWaitingAnswersStayInOrder() throws {
        try withTestServer { _, port in
            let client = try RawClient(port: port)
            let paths = (0..<12).map { $0 % 3 == 0 ? "/later/health" : $0 % 3 == 1 ? "/health" : "/later/stream" }
            try client.send(paths.map { "GET \($0) HTTP/1.1\r\nHost: a\r\n\r\n" }.joined())
            for path in paths {
                let response = try #require(client.readResponse())
                #expect(response.text == (path.hasSuffix("stream") ? "part0;part1;part2;" : #"{"status":"ok"}"#), "\(path)")
            }
        }
    }

    @Test func routerErrorsOverTheWire() throws {
        try withTestServer { _, port in
            let client = try RawClient(port: port)
            try client.send("DELETE /health HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try #require(client.readResponse())
            #expect(response.status == 405)
            #expect(response.header("Allow") == "GET, HEAD")
            try client.send("GET /missing HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(client.readResponse()?.status == 404)
        }
    }

    @Test(arguments: paths)
    func streamedBodyIsChunked(_ prefix: String) throws {
        try withTestServer { _, port in
            let client = try RawClient(port: port)
            try client.send("GET \(prefix)/stream HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try #require(client.readResponse())
            #expect(response.header("Transfer-Encoding") == "chunked")
            #expect(response.text == "part0;part1;part2;")
            try client.send("GET \(prefix)/health HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(client.readResponse()?.status == 200)
        }
    }

    @Test func ipv6Loopback() throws {
        try withTestServer({ $0.host = "::1" }) { server, port in
            #expect(server.localAddress?.description == "[::1]:\(port)")
            let client = try RawClientV6(port: port)
            try client.send("GET /health HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(client.readResponse()?.status == 200)
        }
    }
}
