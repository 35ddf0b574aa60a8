/// Finds the lines that hold only whitespace and tags that may stand alone (sections, partials,
/// comments, ...), and removes such lines from the output (mustache spec, "standalone" tags).
///
/// A line may also hold several inheritance tags together (`{{<parent}}{{$block}}`,
/// `{{/block}}{{/parent}}`, `{{$block}}{{/block}}`), which then stand alone as one: the
/// inheritance spec's "need not be on separate lines". An empty `{{$block}}{{/block}}` keeps its
/// line end, since the content that replaces it has none of its own.
enum MustacheStandaloneLines {
    static func mark(_ tokens: inout [MustacheToken], source: [UInt8]) {
        var openKinds: [MustacheToken.Kind] = []
        var lineFirst = 0
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            let endsLine = token.kind == .text && source[token.end - 1] == UInt8(ascii: "\n")
            if endsLine || index == tokens.count - 1 {
                markLine(&tokens, lineFirst...index, source: source, openKinds: &openKinds)
                lineFirst = index + 1
            }
            index += 1
        }
    }

    private static func markLine(_ tokens: inout [MustacheToken], _ line: ClosedRange<Int>, source: [UInt8], openKinds: inout [MustacheToken.Kind]) {
        var tagIndices: [Int] = []
        var allBlank = true
        var allInheritance = true
        var kinds = openKinds
        for index in line {
            let token = tokens[index]
            if token.kind == .text {
                if !source[token.start..<token.end].allSatisfy(MustacheScanner.isSpace) { allBlank = false }
                continue
            }
            tagIndices.append(index)
            if !token.canStandAlone { allBlank = false }
            switch token.kind {
            case .section, .inverted, .parent, .block:
                kinds.append(token.kind)
                if token.kind != .parent && token.kind != .block { allInheritance = false }
            case .close:
                let closed = kinds.popLast()
                if closed != .parent && closed != .block { allInheritance = false }
            default:
                allInheritance = false
            }
        }
        openKinds = kinds
        guard allBlank, !tagIndices.isEmpty, tagIndices.count == 1 || allInheritance else { return }

        let first = tokens[line.lowerBound]
        let indent = first.kind == .text ? Array(source[first.start..<first.end]) : []
        let lineStart = first.start
        let lineEnd = tokens[line.upperBound].end
        // An empty block opened and closed on this line keeps the line end.
        var keepLineEnd = false
        for (a, b) in zip(tagIndices, tagIndices.dropFirst()) where b == a + 1 && tokens[a].kind == .block && tokens[b].kind == .close {
            keepLineEnd = true
        }
        for index in line {
            if tokens[index].kind == .text {
                let isLast = index == line.upperBound && source[tokens[index].end - 1] == UInt8(ascii: "\n")
                tokens[index].removed = !(keepLineEnd && isLast)
            } else {
                tokens[index].standalone = true
                tokens[index].indent = indent.filter { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                tokens[index].lineStart = lineStart
                tokens[index].lineEnd = lineEnd
            }
        }
    }
}
