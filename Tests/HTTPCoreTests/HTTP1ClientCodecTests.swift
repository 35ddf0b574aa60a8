import HTTPCore
import HTTPTypes
import Testing

/// The client's half of the one HTTP/1.1 codec: response heads, request heads, chunk trailers.
@Suite("HTTP/1.1 codec: the client side")
struct HTTP1ClientCodecTests {
    func parse(_ text: String, method: HTTPRequest.Method = .get) -> HTTP1ResponseHeadParser.Result {
        var parser = HTTP1ResponseHeadParser()
        return Array(text.utf8).withUnsafeBufferPointer { parser.parse($0, requestMethod: method) }
    }

    func head(_ text: String, method: HTTPRequest.Method = .get) -> HTTP1ResponseHead? {
        if case .complete(let head, _) = parse(text, method: method) { return head }
        return nil
    }

    @Test("framing by RFC 9112 §6.3: length, chunked, until close, and no body for HEAD, 204 and 304")
    func framing() {
        #expect(head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")?.framing == .length(5))
        #expect(head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")?.framing == .chunked)
        let close = head("HTTP/1.1 200 OK\r\n\r\n")
        #expect(close?.framing == .untilClose)
        #expect(close?.keepAlive == false)
        #expect(head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", method: .head)?.framing == HTTP1BodyFraming.none)
        #expect(head("HTTP/1.1 204 No Content\r\n\r\n")?.framing == HTTP1BodyFraming.none)
        #expect(head("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n")?.framing == HTTP1BodyFraming.none)
        #expect(head("HTTP/1.1 202 Accepted\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")?.keepAlive == false)
        #expect(head("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n")?.keepAlive == false)
    }

    @Test("status line: code, reason (empty allowed), version")
    func statusLine() {
        let parsed = head("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        #expect(parsed?.response.status.code == 404)
        #expect(parsed?.response.status.reasonPhrase == "Not Found")
        #expect(head("HTTP/1.1 202 \r\nContent-Length: 0\r\n\r\n")?.response.status.code == 202)
        #expect(head("HTTP/1.1 202\r\nContent-Length: 0\r\n\r\n")?.response.status.code == 202)
    }

    @Test("a bad status line is named as one, not as a request line", arguments: ["HTTP/2 200 OK", "HTTP/1.1 20 OK", "ICY 200 OK", "HTTP/1.1 099 Low"])
    func badStatusLine(_ line: String) {
        guard case .invalid(let error) = parse(line + "\r\n\r\n") else { Issue.record("accepted: \(line)"); return }
        #expect(error == .malformedStatusLine)
        #expect(error.description == "malformed status line")
    }

    static let smuggling = [
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\nContent-Length: 1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
    ]

    @Test("responses two parsers could read differently are refused", arguments: smuggling)
    func refused(_ text: String) {
        guard case .invalid = parse(text) else { Issue.record("accepted: \(text.debugDescription)"); return }
    }

    @Test("a head cut at every byte needs more, then completes")
    func incremental() {
        let text = Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi".utf8)
        var parser = HTTP1ResponseHeadParser()
        for end in 1..<(text.count - 2) {
            let result = text[..<end].withUnsafeBufferPointer { parser.parse($0, requestMethod: .get) }
            guard case .needMore = result else { Issue.record("at \(end): \(result)"); return }
        }
        let result = text.withUnsafeBufferPointer { parser.parse($0, requestMethod: .get) }
        guard case .complete(let head, let consumed) = result else { Issue.record("\(result)"); return }
        #expect(consumed == text.count - 2)
        #expect(head.response.headerFields[.contentType] == "text/plain")
    }

    @Test("a request head: Host, the caller's fields, framing written once, Trailer announced")
    func requestHead() {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[.contentLength] = "999" // the caller's framing is never copied
        var out: [UInt8] = []
        HTTP1RequestSerializer.writeHead(method: .post, path: "/a?b", host: "127.0.0.1:9001", fields: fields, framing: .chunked,
                                         trailerNames: ["X-One", "X-Two"], into: &out)
        #expect(String(decoding: out, as: UTF8.self) ==
            "POST /a?b HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nTrailer: X-One, X-Two\r\n\r\n")
        out = []
        HTTP1RequestSerializer.writeHead(method: .get, path: "/", host: "h", fields: [:], framing: .length(0), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "GET / HTTP/1.1\r\nHost: h\r\n\r\n")
    }

    @Test("chunked with trailers: written by the serializer, read back by the decoder")
    func trailersRoundTrip() throws {
        var out: [UInt8] = []
        HTTP1Chunks.write(Array("hello ".utf8), into: &out)
        HTTP1Chunks.write(Array("world".utf8), into: &out)
        var trailers = HTTPFields()
        trailers[HTTPField.Name("X-Error-Type")!] = "Runtime.StreamError"
        trailers[HTTPField.Name("X-Error-Body")!] = "eyJhIjoxfQ=="
        HTTP1Chunks.writeLast(trailers: trailers, into: &out)
        for keep in [true, false] {
            var decoder = ChunkedDecoder(maxBodyBytes: 1 << 20, keepsTrailers: keep)
            var body: [UInt8] = []
            // One byte at a time, the hardest way.
            for byte in out {
                _ = try [byte].withUnsafeBufferPointer { try decoder.decode($0, into: &body) }
            }
            #expect(decoder.isDone)
            #expect(decoder.chunkCount == 2)
            #expect(String(decoding: body, as: UTF8.self) == "hello world")
            #expect(try decoder.trailers() == (keep ? trailers : [:]))
        }
    }
}
