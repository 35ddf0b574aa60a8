@testable import RedisStore
import Testing

/// The RESP reply parser without a server: every type, replies split at every byte, and what is
/// not RESP refused with an error instead of a crash or an unbounded allocation.
@Suite("RESP parser")
struct RESPParserTests {
    static func parse(_ text: String) throws(RESPError) -> RESPValue? {
        try RESPParser().parse(Array(text.utf8), from: 0).map(\.0)
    }

    @Test("each type, and a transaction's reply")
    func types() throws {
        #expect(try Self.parse("+OK\r\n") == .simple("OK"))
        #expect(try Self.parse("-MOVED 3999 127.0.0.1:6381\r\n") == .error("MOVED 3999 127.0.0.1:6381"))
        #expect(try Self.parse(":-42\r\n") == .integer(-42))
        #expect(try Self.parse("$3\r\nfoo\r\n") == .bulk(Array("foo".utf8)))
        #expect(try Self.parse("$0\r\n\r\n") == .bulk([]))
        #expect(try Self.parse("$-1\r\n") == .null)
        #expect(try Self.parse("*-1\r\n") == .null)
        #expect(try Self.parse("_\r\n") == .null)
        #expect(try Self.parse("*2\r\n:1\r\n*2\r\n$9\r\nus-east-1\r\n$1\r\n1\r\n")
            == .array([.integer(1), .array([.bulk(Array("us-east-1".utf8)), .bulk(Array("1".utf8))])]))
    }

    @Test("a reply cut anywhere asks for more; whole, it is read, with the index after it")
    func incremental() throws {
        let whole = Array("*3\r\n+OK\r\n$5\r\nhello\r\n:7\r\n+NEXT\r\n".utf8)
        let firstEnd = whole.count - "+NEXT\r\n".utf8.count
        for cut in 0..<firstEnd {
            #expect(try RESPParser().parse(Array(whole[..<cut]), from: 0) == nil, "cut at \(cut)")
        }
        let (value, end) = try #require(try RESPParser().parse(whole, from: 0))
        #expect(end == firstEnd)
        #expect(value == .array([.simple("OK"), .bulk(Array("hello".utf8)), .integer(7)]))
        #expect(try RESPParser().parse(whole, from: end)?.0 == .simple("NEXT"))
    }

    @Test("what is not RESP is an error", arguments: [
        "?x\r\n", ":abc\r\n", ":\r\n", "$-2\r\n", "$3\r\nfoobar\r\n", "*-5\r\n", "+a\rb\r\n", "_x\r\n",
        ":99999999999999999999999\r\n",
    ])
    func malformed(_ text: String) {
        #expect(throws: RESPError.self) { try Self.parse(text) }
    }

    @Test("limits: a huge bulk length, a huge array, deep nesting and an endless line are refused before anything is allocated")
    func limits() {
        #expect(throws: RESPError.self) { try Self.parse("$999999999999\r\n") }
        #expect(throws: RESPError.self) { try Self.parse("*999999999\r\n") }
        #expect(throws: RESPError.self) { try Self.parse(String(repeating: "*1\r\n", count: 20) + ":1\r\n") }
        #expect(throws: RESPError.self) { try RESPParser().parse([UInt8(ascii: "+")] + [UInt8](repeating: 65, count: 70_000), from: 0) }
    }

    @Test("commands are arrays of bulk strings")
    func commands() {
        var out: [UInt8] = []
        RESPCommand.append(["HINCRBY", "{swiftlet}:visits", "eu-west-1", "1"], to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "*4\r\n$7\r\nHINCRBY\r\n$17\r\n{swiftlet}:visits\r\n$9\r\neu-west-1\r\n$1\r\n1\r\n")
    }

    @Test("redirects: MOVED and ASK read from replies, IPv6 included; other errors are none")
    func redirects() {
        let moved = RedisClient.redirect(in: [.simple("OK"), .error("MOVED 3999 127.0.0.1:6381")])
        #expect(moved?.node == RedisLink.Node(host: "127.0.0.1", port: 6381) && moved?.isAsk == false)
        let ask = RedisClient.redirect(in: [.error("ASK 12 [::1]:7000")])
        #expect(ask?.node == RedisLink.Node(host: "::1", port: 7000) && ask?.isAsk == true)
        #expect(RedisClient.redirect(in: [.error("ERR wrong number of arguments"), .error("MOVED x")]) == nil)
    }
}
