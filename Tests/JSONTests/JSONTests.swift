import JSON
import Testing

@Suite("JSON")
struct JSONTests {
    @Test("values of every kind, numbers kept as written, members in order")
    func parse() throws {
        let value = try JSONValue.parse(Array(#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "n": 12345678901234567890} "#.utf8))
        #expect(value["a"]?.array == [.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null])
        #expect(value["b"]?["c"]?.string == "d")
        #expect(value["n"] == .number("12345678901234567890"))
        #expect(value["n"]?.int == nil)
        #expect(value.object?.members.map(\.key) == ["a", "b", "n"])
    }

    @Test("escapes, surrogate pairs and UTF-8")
    func strings() throws {
        let value = try JSONValue.parse(Array(#"["\"\\\/\b\f\n\r\t", "\u00e9\ud83d\ude00", "é😀"]"#.utf8))
        #expect(value.array?[0].string == "\"\\/\u{8}\u{c}\n\r\t")
        #expect(value.array?[1].string == "é😀")
        #expect(value.array?[2].string == "é😀")
    }

    @Test("every string the writer makes parses back to itself: escapes at the start, the end, in runs, alone")
    func writtenStringsRoundTrip() throws {
        let controls = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        let page = String(repeating: "<p class=\"x\">caf\u{e9} \\ 😀</p>\n", count: 200)
        for text in ["", "a", "\"", "<", "\u{0}", controls, "plain text without escapes", "\"start", "end\"", "a\"\"b", "<<<>>>", page] {
            var writer = JSONWriter()
            writer.string(text)
            #expect(try JSONValue.parse(writer.bytes).string == text, "\(text.prefix(40))")
            #expect(!writer.bytes.contains(UInt8(ascii: "<")), "< is always escaped")
        }
    }

    static let invalid = [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", ".5", "1e", "tru", "nul", "\"\u{1}\"", "\"\\x\"", "\"\\ud800\"", "\"\\udc00x\"",
        "[1] 2", "{1:2}", "{\"a\" 1}", "'a'", "\"abc",
    ]

    @Test("malformed documents are refused", arguments: invalid)
    func refused(_ text: String) {
        #expect(throws: JSONError.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test("invalid UTF-8 and nesting past the bound are refused")
    func hostile() {
        #expect(throws: JSONError.self) { try JSONValue.parse([UInt8(ascii: "\""), 0xff, UInt8(ascii: "\"")]) }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONError.self) { try JSONValue.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: Never.self) { try JSONValue.parse(Array(fine.utf8)) }
    }

    @Test("the writer's output reads back as what was written")
    func roundTrip() throws {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("s")
        writer.string("a\"b\\c\n<\u{1}é")
        writer.key("n")
        writer.number(-42)
        writer.key("l")
        writer.beginArray()
        writer.bool(true)
        writer.null()
        writer.beginObject()
        writer.endObject()
        writer.endArray()
        writer.endObject()
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(text == #"{"s":"a\"b\\c\n\u003c\u0001é","n":-42,"l":[true,null,{}]}"#)
        let value = try JSONValue.parse(writer.bytes)
        #expect(value["s"]?.string == "a\"b\\c\n<\u{1}é")
        var again = JSONWriter()
        again.value(value)
        #expect(again.bytes == writer.bytes)
    }
}
