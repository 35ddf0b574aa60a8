import Mustache
import Testing

/// Template errors name the template, line and column, and are found at compile time.
@Suite("mustache: errors and helpers")
struct MustacheErrorTests {
    @Test(arguments: [
        ("a\n  {{#items}}x", 2, 3, "the section \"items\" is never closed"),
        ("{{#a}}{{/b}}", 1, 7, "{{/b}} where {{/a}} was expected"),
        ("ok\nok {{name", 2, 4, "a tag opened with {{ is never closed"),
        ("<p>{{visits</p>\n{{#regions}}x{{/regions}}", 1, 4, "a tag opened with {{ is never closed"),
        ("<p>{{visits</p>{{{raw}}}", 1, 4, "a tag opened with {{ is never closed"),
        ("{{/a}}", 1, 1, "{{/a}} closes nothing"),
        ("{{= x =}}", 1, 1, "cannot set delimiters"),
        ("{{ }}", 1, 1, "a tag has no name"),
    ])
    func errorsNameTheirPlace(source: String, line: Int, column: Int, message: String) {
        #expect {
            _ = try MustacheLibrary(sources: ["page.mustache": source])
        } throws: { error in
            guard let error = error as? MustacheError else { return false }
            return error.line == line && error.column == column && error.template == "page.mustache"
                && error.description.contains(message)
        }
    }

    @Test func missingPartialsAreReported() throws {
        let library = try MustacheLibrary(sources: ["home": "{{<layout}}{{$body}}{{>footer}}{{/body}}{{/layout}}", "layout": "{{$body}}{{/body}}"])
        #expect(library.missingPartials().map(\.partial) == ["footer"])
    }

    @Test func lambdaSectionsGetTheirTextAndAreEscaped() throws {
        let library = try MustacheLibrary(sources: ["t": "<link href=\"{{#asset}}app.css{{/asset}}\">"])
        let context: MustacheValue = ["asset": .lambda { "/assets/\($0)?a=1&b=\"2\"" }]
        let output = library.render("t", context: context).map { String(decoding: $0, as: UTF8.self) }
        #expect(output == "<link href=\"/assets/app.css?a=1&amp;b=&quot;2&quot;\">")
    }

    @Test func selfIncludingPartialStops() throws {
        let library = try MustacheLibrary(sources: ["loop": "x{{>loop}}"])
        #expect(library.render("loop", context: .null)?.count == 65)
    }

    /// Found by the fuzzer: a template that includes itself twice doubled its work at each of 64
    /// levels and never finished. Partials stop after a bounded number of inclusions.
    @Test func aTemplateIncludingItselfTwiceEnds() throws {
        let library = try MustacheLibrary(sources: ["t": "a{{>t}}{{>t}}"])
        let started = ContinuousClock.now
        let output = try #require(library.render("t", context: .null))
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(output.count > 1000 && output.count < 1_000_000)
    }
}
