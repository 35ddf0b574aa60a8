/// Turns template source into `MustacheNode`s: scan, remove standalone lines, then nest sections,
/// parents and blocks, checking that every section is closed by its own name.
struct MustacheParser {
    let source: [UInt8]
    let templateName: String
    let lineOffset: Int
    private var tokens: [MustacheToken] = []
    private var position = 0

    static func compile(_ source: [UInt8], name: String, delimiters: MustacheDelimiters = MustacheDelimiters(), lineOffset: Int = 0) throws(MustacheError) -> [MustacheNode] {
        var parser = MustacheParser(source: source, templateName: name, lineOffset: lineOffset)
        parser.tokens = try MustacheScanner(source: source, templateName: name, lineOffset: lineOffset).scan(from: delimiters)
        MustacheStandaloneLines.mark(&parser.tokens, source: source)
        return try parser.parseNodes(closing: nil)
    }

    /// Parses until the `{{/name}}` of `opener` (or the end, for the top level).
    private mutating func parseNodes(closing opener: MustacheToken?) throws(MustacheError) -> [MustacheNode] {
        var nodes: [MustacheNode] = []
        var text: [UInt8] = []
        func flush() {
            if !text.isEmpty { nodes.append(.text(text)); text = [] }
        }
        while position < tokens.count {
            let token = tokens[position]
            position += 1
            switch token.kind {
            case .text:
                if !token.removed { text.append(contentsOf: source[token.start..<token.end]) }
            case .comment, .delimiters:
                break
            case .variable(let escaped):
                flush()
                nodes.append(.variable(MustacheName(token.name), escaped: escaped))
            case .partial:
                flush()
                nodes.append(.partial(token.name, indent: token.standalone ? token.indent : nil))
            case .close:
                guard let opener else { throw scanner.error(.unexpectedClose(token.name), at: token.start) }
                guard opener.name == token.name else {
                    throw scanner.error(.mismatchedClose(expected: opener.name, found: token.name), at: token.start)
                }
                flush()
                lastClose = token
                return nodes
            case .section, .inverted, .parent, .block:
                flush()
                nodes.append(try parseContainer(token))
            }
        }
        if let opener { throw scanner.error(.unclosedSection(opener.name), at: opener.start) }
        flush()
        return nodes
    }

    private var lastClose: MustacheToken?

    private mutating func parseContainer(_ opener: MustacheToken) throws(MustacheError) -> MustacheNode {
        let children = try parseNodes(closing: opener)
        let closer = lastClose!
        let contentStart = opener.standalone ? opener.lineEnd : opener.end
        let contentEnd = max(contentStart, closer.standalone ? closer.lineStart : closer.start)
        switch opener.kind {
        case .section:
            let raw = String(decoding: source[contentStart..<contentEnd], as: UTF8.self)
            return .section(MustacheName(opener.name), children, raw: raw)
        case .inverted:
            return .inverted(MustacheName(opener.name), children)
        case .parent:
            var overrides: [String: [MustacheNode]] = [:]
            for child in children {
                if case .block(let name, let block) = child { overrides[name] = block.defaultNodes }
            }
            return .parent(opener.name, indent: opener.standalone ? opener.indent : nil, overrides: overrides)
        default:
            guard opener.standalone else { return .block(opener.name, MustacheBlock(defaultNodes: children, indent: nil)) }
            // A standalone block's content loses its own indentation here and gets the
            // indentation of the place it is expanded (spec: "Block reindentation").
            let (dedented, removed) = Self.dedent(source[contentStart..<contentEnd])
            let line = lineOffset + source[..<contentStart].reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            let nodes = try Self.compile(dedented, name: templateName, delimiters: opener.delimiters, lineOffset: line)
            return .block(opener.name, MustacheBlock(defaultNodes: nodes, indent: removed.isEmpty ? opener.indent : removed))
        }
    }

    private var scanner: MustacheScanner {
        MustacheScanner(source: source, templateName: templateName, lineOffset: lineOffset)
    }

    /// Removes the leading whitespace all non-blank lines share (as Python's `textwrap.dedent`);
    /// blank lines keep only their line end. Returns the text and what came off the first line.
    static func dedent(_ text: ArraySlice<UInt8>) -> (text: [UInt8], removed: [UInt8]) {
        let lines = text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        func isBlank(_ line: ArraySlice<UInt8>) -> Bool { line.allSatisfy(MustacheScanner.isSpace) }
        func margin(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            line.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        }
        var common: ArraySlice<UInt8>?
        for line in lines where !isBlank(line) {
            let own = margin(line)
            guard let current = common else { common = own; continue }
            common = current.prefix(zip(current, own).prefix { $0 == $1 }.count)
        }
        let cut = common?.count ?? 0
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        for (index, line) in lines.enumerated() {
            if index > 0 { output.append(UInt8(ascii: "\n")) }
            if isBlank(line) {
                if line.last == UInt8(ascii: "\r") { output.append(UInt8(ascii: "\r")) }
            } else {
                output.append(contentsOf: line.dropFirst(cut))
            }
        }
        let removed = lines.first.map { isBlank($0) ? Array(margin($0)) : Array($0.prefix(cut)) } ?? []
        return (output, removed)
    }
}
