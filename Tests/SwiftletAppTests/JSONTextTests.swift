import Testing
@testable import SwiftletApp

@Suite("JSON text")
struct JSONTextTests {
    /// RFC 8259 §7 escapes, `<` kept inert, other characters (multi-byte ones included) as they are.
    @Test func stringEscapes() {
        #expect(JSONText.string("plain us-east-1") == #""plain us-east-1""#)
        #expect(JSONText.string("q\"b\\n\nr\rt\t<") == #""q\"b\\n\nr\rt\t\u003c""#)
        #expect(JSONText.string("\u{01}\u{1f}") == #""\u0001\u001f""#)
        #expect(JSONText.string("café ☃") == "\"café ☃\"")
        #expect(JSONText.visits(total: 3, regions: [("a\"b", 1), ("z", 2)]) == Array(#"{"visits":3,"regions":{"a\"b":1,"z":2}}"#.utf8))
    }
}
