import HTTPTypes
import Testing
@testable import HTTPCore

@Suite("HTTP dates and the response serializer")
struct HTTPDateTests {
    @Test func imfFixdate() {
        #expect(HTTPDate.format(secondsSince1970: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(secondsSince1970: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(secondsSince1970: 951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate.format(secondsSince1970: 1_795_311_000) == "Sun, 22 Nov 2026 01:30:00 GMT")
    }

    @Test func serializerFramesOnce() {
        var head = Response.text("hi").head
        head.headerFields[.contentLength] = "999" // the app cannot frame the message
        head.headerFields[.transferEncoding] = "chunked"
        head.headerFields[.connection] = "keep-alive"
        head.headerFields[.date] = "yesterday"
        // Names as long as the framing fields, which are not them.
        for name in ["Xate", "Connectiox", "Content-Lengtx", "Transfer-Encodinx"] {
            head.headerFields[HTTPField.Name(name)!] = "kept"
        }
        var bytes: [UInt8] = []
        HTTP1ResponseSerializer.writeHead(head, framing: .length(2), keepAlive: false, minorVersion: 1, date: "D", into: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nXate: kept\r\nConnectiox: kept\r\nContent-Lengtx: kept\r\nTransfer-Encodinx: kept\r\nDate: D\r\nContent-Length: 2\r\nConnection: close\r\n\r\n")
    }

    /// Status lines: the common ones written whole, custom phrases and other codes as they are.
    @Test func statusLines() {
        func line(_ status: HTTPResponse.Status, minorVersion: Int = 1) -> String {
            var bytes: [UInt8] = []
            HTTP1ResponseSerializer.writeHead(HTTPResponse(status: status), framing: .none, keepAlive: true, minorVersion: minorVersion, date: "D", into: &bytes)
            return String(decoding: bytes.prefix { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        }
        #expect(line(.ok) == "HTTP/1.1 200 OK")
        #expect(line(.serviceUnavailable) == "HTTP/1.1 503 Service Unavailable")
        #expect(line(.init(code: 200, reasonPhrase: "Fine")) == "HTTP/1.1 200 Fine")
        #expect(line(.init(code: 418, reasonPhrase: "I'm a teapot")) == "HTTP/1.1 418 I'm a teapot")
        #expect(line(.ok, minorVersion: 0) == "HTTP/1.0 200 OK")
    }

    /// A head larger than the stack buffer it is first written into comes out whole.
    @Test func headsLargerThanTheFirstBuffer() {
        var head = HTTPResponse(status: .ok)
        let big = String(repeating: "v", count: 20_000)
        head.headerFields[HTTPField.Name("X-Big")!] = big
        var bytes: [UInt8] = Array("before".utf8)
        HTTP1ResponseSerializer.writeHead(head, framing: .length(0), keepAlive: true, minorVersion: 1, date: "D", into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "beforeHTTP/1.1 200 OK\r\nX-Big: \(big)\r\nDate: D\r\nContent-Length: 0\r\n\r\n")
    }

    /// A response's request id goes out as `X-Request-Id` after its fields; one that is not a
    /// legal field value (a CR LF would start a header of its own) is left out.
    @Test func requestIDField() {
        func head(_ id: String?) -> String {
            var bytes: [UInt8] = []
            HTTP1ResponseSerializer.writeHead(Response.text("hi").head, framing: .length(2), keepAlive: true, minorVersion: 1, date: "D", requestID: id, into: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        #expect(head("abc123") == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nX-Request-Id: abc123\r\nDate: D\r\nContent-Length: 2\r\n\r\n")
        #expect(head("evil\r\nSet-Cookie: x=1") == head(nil))
        var response = Response.text("hi")
        response.requestID = "abc"
        #expect(response.headerFieldsWithRequestID[Response.requestIDField] == "abc")
        #expect(response.head.headerFields[Response.requestIDField] == nil)
    }

    @Test func chunks() {
        var bytes: [UInt8] = []
        HTTP1Chunks.write(Array("hello, world!!!!".utf8), into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "10\r\nhello, world!!!!\r\n")
    }
}
