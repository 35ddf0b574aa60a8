import Testing
@testable import HTTPCore

@Suite("chunked transfer coding")
struct ChunkedDecoderTests {
    /// Decodes `text` split into pieces at `cuts`; returns the body, bytes used, or the error.
    static func decode(_ text: String, cuts: [Int] = [], maxBody: Int = 1 << 20) -> Result<([UInt8], Int), HTTP1ParseError> {
        let bytes = Array(text.utf8)
        var decoder = ChunkedDecoder(maxBodyBytes: maxBody)
        var body: [UInt8] = []
        var used = 0
        let bounds = (cuts + [bytes.count]).filter { $0 <= bytes.count }
        var start = 0
        do throws(HTTP1ParseError) {
            for end in bounds where end > start {
                used += try bytes.withUnsafeBufferPointer { buffer throws(HTTP1ParseError) -> Int in
                    try decoder.decode(UnsafeBufferPointer(rebasing: buffer[start..<end]), into: &body)
                }
                start = end
                if decoder.isDone { break }
            }
        } catch {
            return .failure(error)
        }
        return decoder.isDone ? .success((body, used)) : .failure(.invalidChunk)
    }

    @Test func decodesWithExtensionsAndTrailers() throws {
        let message = "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\nGET / HTTP/1.1"
        let expectedUsed = message.utf8.count - "GET / HTTP/1.1".utf8.count
        for cut in 0...message.utf8.count {
            let (body, used) = try Self.decode(message, cuts: [cut]).get()
            #expect(String(decoding: body, as: UTF8.self) == "hello world")
            #expect(used == expectedUsed, "stops at the end of the message, leaving the next request")
        }
        let (body, _) = try Self.decode(message, cuts: Array(1..<message.utf8.count)).get()
        #expect(body.count == 11)
    }

    @Test("malformed chunks are refused", arguments: [
        "-5\r\nhello\r\n0\r\n\r\n",          // signed size
        "0x5\r\nhello\r\n0\r\n\r\n",         // prefixed size
        " 5\r\nhello\r\n0\r\n\r\n",          // leading space
        "5\nhello\r\n0\r\n\r\n",             // bare LF after the size
        "5\r\nhelloXX0\r\n\r\n",             // data longer than its size
        "\r\nhello\r\n0\r\n\r\n",            // empty size
        "fffffffffffffffff\r\n",             // size overflow
        "5\r\nhello\r\n0\r\nX: a\nb\r\n\r\n", // bare LF in a trailer
    ])
    func malformed(_ text: String) {
        guard case .failure = Self.decode(text) else {
            Issue.record("accepted \(text.debugDescription)")
            return
        }
    }

    @Test func bodyLimitIs413() {
        let result = Self.decode("400\r\n" + String(repeating: "a", count: 1024) + "\r\n0\r\n\r\n", maxBody: 1000)
        guard case .failure(let error) = result else { Issue.record("accepted"); return }
        #expect(error == .bodyTooLarge)
        #expect(error.status == .contentTooLarge)
    }
}
