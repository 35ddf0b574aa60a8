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

    @Test func chunks() {
        var bytes: [UInt8] = []
        HTTP1ResponseSerializer.writeChunk(Array("hello, world!!!!".utf8), into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "10\r\nhello, world!!!!\r\n")
    }
}
