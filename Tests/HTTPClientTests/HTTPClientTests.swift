import HTTPClient
import HTTPCore
import HTTPTypes
import Sockets
import Testing
import TestSupport
import Timekeeping

/// The client against a scripted server on 127.0.0.1: framings, keep-alive, reconnects, deadlines.
@Suite("HTTP client")
struct HTTPClientTests {
    func client(_ server: ScriptedServer) -> HTTPClient {
        HTTPClient(configuration: HTTPClient.Configuration(host: "127.0.0.1", port: server.port, connectTimeout: .seconds(2)))
    }

    func get(_ client: HTTPClient, path: String = "/", body: [UInt8] = [], seconds: Int = 5) throws(HTTPClientError) -> ClientResponse {
        try client.send(HTTPRequest(method: body.isEmpty ? .get : .post, scheme: nil, authority: nil, path: path), body: body,
                        deadline: MonotonicTime.now().advanced(by: .seconds(seconds)))
    }

    static func reply(_ body: String, extra: String = "") -> [UInt8] {
        Array("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\(extra)\r\n\(body)".utf8)
    }

    @Test("Content-Length bodies, both ways, on one kept-alive connection")
    func keepAlive() throws {
        let server = try ScriptedServer { request, _ in
            .bytes(Self.reply("\(request.head.path ?? "") \(String(decoding: request.body, as: UTF8.self))"))
        }
        let client = client(server)
        for index in 0..<5 {
            let response = try get(client, path: "/n\(index)", body: Array("body \(index)".utf8))
            #expect(String(decoding: response.body, as: UTF8.self) == "/n\(index) body \(index)")
        }
        #expect(server.connections == 1)
    }

    @Test("a chunked response body, and a 100 Continue before the answer")
    func chunked() throws {
        let server = try ScriptedServer { _, _ in
            .bytes(Array("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n".utf8))
        }
        let response = try get(client(server))
        #expect(String(decoding: response.body, as: UTF8.self) == "hello world")
    }

    @Test("a body read until the server closes; the next request opens a new connection")
    func untilClose() throws {
        let server = try ScriptedServer { _, _ in .bytesThenClose(Array("HTTP/1.1 200 OK\r\n\r\nall of it".utf8)) }
        let client = client(server)
        #expect(String(decoding: try get(client).body, as: UTF8.self) == "all of it")
        #expect(String(decoding: try get(client).body, as: UTF8.self) == "all of it")
        #expect(server.connections == 2)
    }

    @Test("Connection: close, or a server that closed an idle connection, gets a new connection, not an error")
    func reconnects() throws {
        let server = try ScriptedServer { request, _ in
            request.head.path == "/close" ? .bytesThenClose(Self.reply("bye", extra: "Connection: close\r\n")) : .bytesThenClose(Self.reply("quiet close"))
        }
        let client = client(server)
        #expect(String(decoding: try get(client, path: "/close").body, as: UTF8.self) == "bye")
        #expect(String(decoding: try get(client).body, as: UTF8.self) == "quiet close")
        // The server closed without saying so; the client notices before reusing it.
        #expect(String(decoding: try get(client).body, as: UTF8.self) == "quiet close")
        #expect(server.connections == 3)
    }

    @Test("a silent server is a read timeout whose outcome is unknown; a refused connect is not")
    func deadlines() throws {
        let server = try ScriptedServer { _, _ in .silence }
        defer { server.stop() }
        let started = ContinuousClock.now
        do {
            _ = try client.self(server).send(HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/"), body: [1],
                                             deadline: MonotonicTime.now().advanced(by: .milliseconds(200)))
            Issue.record("no timeout")
        } catch {
            guard case .timedOut(.read, _) = error else { Issue.record("\(error)"); return }
            #expect(error.outcomeUnknown)
        }
        #expect(ContinuousClock.now - started < .seconds(2))

        let closed = try Socket.listening(on: .ipv4(host: "127.0.0.1", port: 0))
        let port = try closed.localAddress().port
        closed.close()
        let refused = HTTPClient(configuration: HTTPClient.Configuration(host: "127.0.0.1", port: port))
        do {
            _ = try get(refused)
            Issue.record("connected to a closed port")
        } catch {
            guard case .cannotConnect = error else { Issue.record("\(error)"); return }
            #expect(!error.outcomeUnknown)
        }
    }

    @Test("a malformed or truncated response is an error, never a half answer")
    func malformed() throws {
        let server = try ScriptedServer { request, _ in
            switch request.head.path {
            case "/bad": .bytesThenClose(Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello".utf8))
            case "/short": .bytesThenClose(Array("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nhello".utf8))
            default: .bytesThenClose(Array("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n".utf8))
            }
        }
        let client = HTTPClient(configuration: HTTPClient.Configuration(host: "127.0.0.1", port: server.port, maxResponseBodyBytes: 1 << 20))
        #expect(throws: HTTPClientError.self) { try get(client, path: "/bad") }
        #expect(throws: HTTPClientError.self) { try get(client, path: "/short") }
        #expect(throws: HTTPClientError.self) { try get(client, path: "/huge") }
    }

    @Test("a streamed request: chunks as written, declared trailers, then the response")
    func streamingRequest() throws {
        let server = try ScriptedServer { request, _ in
            .bytes(Self.reply("\(request.chunkCount) chunks, \(String(decoding: request.body, as: UTF8.self)), \(request.trailers[HTTPField.Name("X-Done")!] ?? "-")"))
        }
        let client = client(server)
        let deadline = MonotonicTime.now().advanced(by: .seconds(5))
        let stream = try client.startStreaming(HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/s"), trailerNames: ["X-Done"], deadline: deadline)
        #expect(throws: HTTPClientError.self) { try get(client) } // one request at a time
        try stream.write(Array("a".utf8), deadline: deadline)
        try stream.write([], deadline: deadline) // an empty write must not end the body
        try stream.write(Array("bc".utf8), deadline: deadline)
        var trailers = HTTPFields()
        trailers[HTTPField.Name("X-Done")!] = "yes"
        let response = try stream.finish(trailers: trailers, deadline: deadline)
        #expect(String(decoding: response.body, as: UTF8.self) == "2 chunks, abc, yes")
        #expect(String(decoding: try get(client).body, as: UTF8.self) == "0 chunks, , -")
    }
}
