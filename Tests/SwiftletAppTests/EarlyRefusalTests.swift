import Sockets
import TestSupport
import Testing
import Timekeeping

/// A request refused whatever its body (no route: 404; a route, not for this method: 405) is
/// answered as soon as its head is read, before a byte of the body, and the connection closed.
@Suite("refused before the body")
struct EarlyRefusalTests {
    static let refused: [(String, String, Int)] = [("POST", "/no-such-page", 404), ("PUT", "/health", 405), ("POST", "/api/nothing", 404)]

    @Test("answered at once, Connection: close, then closed", arguments: refused)
    func refusedAtOnce(_ test: (String, String, Int)) throws {
        let app = try AppHarness()
        try app.overTheWire { client, _ in
            // A large body is announced and never sent: only an answer that does not wait for it can come.
            try client.send("\(test.0) \(test.1) HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n")
            let started = MonotonicTime.now()
            let response = try #require(client.readResponse(timeout: .seconds(3)))
            #expect(response.status == test.2)
            #expect(response.header("Connection") == "close")
            #expect(started.milliseconds(until: .now()) < 2_000)
            // The client may still be sending its body: the server drains it for a while.
            try? client.send(String(repeating: "x", count: 10_000))
            #expect(client.waitForClose(timeout: .seconds(5)))
        }
    }

    @Test("a route that takes a body still reads it")
    func acceptedBodyIsRead() throws {
        let app = try AppHarness()
        try app.overTheWire { client, _ in
            try client.send("POST /api/visits HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")
            #expect(client.readResponse()?.status == 200)
            #expect(try client.request("GET", "/health")?.status == 200) // kept alive
        }
    }
}
