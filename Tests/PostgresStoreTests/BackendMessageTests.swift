@testable import PostgresStore
import Testing

/// The backend message framing and the frontend messages, without a server.
@Suite("PostgreSQL messages")
struct BackendMessageTests {
    @Test("a message cut anywhere asks for more; whole, it is read; a bad length is refused")
    func framing() throws {
        let ready: [UInt8] = [UInt8(ascii: "Z"), 0, 0, 0, 5, UInt8(ascii: "I")]
        for cut in 0..<ready.count { #expect(try BackendMessage.parse(Array(ready[..<cut]), from: 0) == nil) }
        let (message, end) = try #require(try BackendMessage.parse(ready + [1, 2], from: 0))
        #expect(message == BackendMessage(type: UInt8(ascii: "Z"), body: [UInt8(ascii: "I")]) && end == 6)
        #expect(throws: PostgresError.self) { try BackendMessage.parse([UInt8(ascii: "Z"), 0, 0, 0, 3], from: 0) }
        #expect(throws: PostgresError.self) { try BackendMessage.parse([UInt8(ascii: "D"), 0x7F, 0xFF, 0xFF, 0xFF], from: 0) }
        #expect(throws: PostgresError.self) { try BackendMessage.parse([UInt8(ascii: "D"), 0xFF, 0xFF, 0xFF, 0xFF], from: 0) }
    }

    @Test("reads past a message's end are errors, not crashes")
    func fieldReader() {
        var reader = FieldReader(bytes: [0, 1])
        #expect(throws: PostgresError.self) { _ = try reader.int32() }
        var strings = FieldReader(bytes: Array("abc".utf8))
        #expect(throws: PostgresError.self) { _ = try strings.cString() }
        var values = FieldReader(bytes: [1, 2, 3])
        #expect(throws: PostgresError.self) { _ = try values.bytes(4) }
        #expect(throws: PostgresError.self) { _ = try values.bytes(-1) }
    }

    @Test("an ErrorResponse gives its SQLSTATE and message")
    func errorResponse() {
        var body: [UInt8] = []
        for (code, value) in [("S", "FATAL"), ("C", "28P01"), ("M", "password authentication failed for user \"x\"")] {
            body += Array(code.utf8) + Array(value.utf8) + [0]
        }
        body.append(0)
        #expect(PostgresConnection.serverError(BackendMessage(type: UInt8(ascii: "E"), body: body))
            == .server(sqlState: "28P01", message: "password authentication failed for user \"x\""))
    }

    @Test("the startup message, SSLRequest and Bind in wire form")
    func frontend() {
        #expect(FrontendMessage.sslRequest == [0, 0, 0, 8, 4, 210, 22, 47])
        let startup = FrontendMessage.startup(user: "u", database: "d")
        #expect(Array(startup[4..<8]) == [0, 3, 0, 0])
        #expect(Int(startup[3]) == startup.count && startup.last == 0)
        let bind = FrontendMessage.bind(statement: "s", parameters: ["ab", nil])
        #expect(bind.first == UInt8(ascii: "B"))
        #expect(bind.suffix(2) == [0, 0])
        #expect(Array(bind[5...]) == [0, UInt8(ascii: "s"), 0, 0, 0, 0, 2, 0, 0, 0, 2, 97, 98, 255, 255, 255, 255, 0, 0])
    }
}
