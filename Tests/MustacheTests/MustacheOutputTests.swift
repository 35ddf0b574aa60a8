import Mustache
import Testing

/// Renders larger than the stack buffer a render starts in, and the ways of getting the bytes.
@Suite("mustache: output")
struct MustacheOutputTests {
    /// 5,000 escaped items (some 60 KB) outgrow the 16 KB stack buffer and move to the heap intact.
    @Test func aPageLargerThanTheStackBufferIsWhole() throws {
        let library = try MustacheLibrary(sources: ["list": "<ul>\n  {{#items}}\n  <li>{{name}} & {{n}}</li>\n  {{/items}}\n</ul>\n"])
        let items: [MustacheValue] = (0..<5_000).map { ["name": .string("<item \($0)>"), "n": .int($0)] }
        let page = try #require(library.render("list", contexts: [["items": .list(items)]]))
        let text = String(decoding: page, as: UTF8.self)
        var expected = "<ul>\n"
        for n in 0..<5_000 { expected += "  <li>&lt;item \(n)&gt; & \(n)</li>\n" }
        expected += "</ul>\n"
        #expect(page.count > 16 * 1024)
        #expect(text == expected)
        var appended: [UInt8] = Array("prefix:".utf8)
        #expect(library.render("list", contexts: [["items": .list(items)]], into: &appended))
        #expect(appended == Array("prefix:".utf8) + page)
        #expect(library.render("missing", contexts: []) == nil)
    }

    /// Objects with many members look names up through an index, with the last of a repeated key winning.
    @Test func largeObjectsAndRepeatedKeys() throws {
        let library = try MustacheLibrary(sources: ["t": "{{k0}} {{k19}} {{dup}}"])
        var members: [(key: String, value: MustacheValue)] = (0..<20).map { (key: "k\($0)", value: .int($0)) }
        members.append((key: "dup", value: "first"))
        members.append((key: "dup", value: "last"))
        let page = try #require(library.render("t", contexts: [.object(MustacheObject(members))]))
        #expect(String(decoding: page, as: UTF8.self) == "0 19 last")
        let small = try #require(library.render("t", contexts: [.object(MustacheObject([(key: "dup", value: "a"), (key: "dup", value: "b")]))]))
        #expect(String(decoding: small, as: UTF8.self) == "  b")
    }
}
