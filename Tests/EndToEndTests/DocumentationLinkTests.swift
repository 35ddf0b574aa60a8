import Glibc
import TestSupport
import Testing

/// Every relative link in the repository's Markdown resolves in a clone: README once named design
/// documents that only lived outside the repository.
@Suite("documentation links")
struct DocumentationLinkTests {
    static let documents = ["README.md", "docs/DESIGN.md", "docs/STYLE.md", "Benchmarks/README.md", "Benchmarks/RESULTS.md"]

    /// The targets of `[text](target)` links in `markdown` that are not URLs or anchors.
    static func relativeLinks(in markdown: String) -> [String] {
        var links: [String] = []
        var rest = markdown[...]
        while let open = rest.firstRange(of: "](") {
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: ")") else { break }
            let target = String(after[..<close]).split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            if !target.isEmpty, !target.contains("://"), !target.hasPrefix("mailto:") { links.append(target) }
            rest = after[close...]
        }
        return links
    }

    @Test(arguments: documents)
    func relativeLinksResolve(document: String) throws {
        let path = "\(SwiftletCLITests.root)/\(document)"
        let text = try #require(Self.read(path), "\(document) is missing")
        let folder = document.contains("/") ? String(document[..<document.lastIndex(of: "/")!]) + "/" : ""
        for link in Self.relativeLinks(in: text) {
            #expect(access("\(SwiftletCLITests.root)/\(folder)\(link)", F_OK) == 0, "\(document) links \(link), which is not in the repository")
        }
    }

    @Test func readmeLinksTheDesignDocuments() throws {
        let readme = try #require(Self.read("\(SwiftletCLITests.root)/README.md"))
        #expect(Self.relativeLinks(in: readme).contains("docs/DESIGN.md"))
        #expect(Self.relativeLinks(in: readme).contains("docs/STYLE.md"))
    }

    static func read(_ path: String) -> String? {
        readFile(path).map { String(decoding: $0, as: UTF8.self) }
    }
}
