/// Cuts template source into tokens: text (split after every line end, so that lines can be
/// judged standalone) and tags, following delimiter changes as they come.
struct MustacheScanner {
    let source: [UInt8]
    let templateName: String
    /// Added to line numbers in errors, when `source` is a piece of a larger template.
    let lineOffset: Int

    func scan(from delimiters: MustacheDelimiters = MustacheDelimiters()) throws(MustacheError) -> [MustacheToken] {
        var tokens: [MustacheToken] = []
        var delimiters = delimiters
        var textStart = 0
        var index = 0
        let count = source.count
        while index < count {
            if source[index] == UInt8(ascii: "\n") {
                tokens.append(MustacheToken(kind: .text, name: "", start: textStart, end: index + 1, delimiters: delimiters))
                index += 1
                textStart = index
                continue
            }
            guard matches(delimiters.open, at: index) else {
                index += 1
                continue
            }
            if textStart < index {
                tokens.append(MustacheToken(kind: .text, name: "", start: textStart, end: index, delimiters: delimiters))
            }
            let token = try scanTag(at: index, delimiters: &delimiters)
            tokens.append(token)
            index = token.end
            textStart = index
        }
        if textStart < count {
            tokens.append(MustacheToken(kind: .text, name: "", start: textStart, end: count, delimiters: delimiters))
        }
        return tokens
    }

    private func scanTag(at start: Int, delimiters: inout MustacheDelimiters) throws(MustacheError) -> MustacheToken {
        let inner = start + delimiters.open.count
        // `{{{name}}}`: the closing brace comes before the close delimiter.
        let triple = inner < source.count && source[inner] == UInt8(ascii: "{")
        let closing = triple ? [UInt8(ascii: "}")] + delimiters.close : delimiters.close
        guard let closeAt = find(closing, from: inner) else {
            throw error(.unclosedTag(open: String(decoding: delimiters.open, as: UTF8.self)), at: start)
        }
        let end = closeAt + closing.count
        var content = source[(triple ? inner + 1 : inner)..<closeAt]
        // `{{visits` left open finds the `}}` of a later tag: what lies between then holds another
        // open delimiter or a line end, which no tag name can (only a comment may span lines).
        // Without this check the tag swallowed the text and tags up to that `}}` and rendered nothing.
        let sigil = triple ? nil : Self.trimmed(content).first
        if sigil != UInt8(ascii: "!"), sigil != UInt8(ascii: "="),
           content.contains(UInt8(ascii: "\n")) || contains(delimiters.open, in: content) {
            throw error(.unclosedTag(open: String(decoding: delimiters.open, as: UTF8.self)), at: start)
        }
        let kind: MustacheToken.Kind
        if triple {
            kind = .variable(escaped: false)
        } else {
            content = Self.trimmed(content)
            let sigil = content.first
            switch sigil {
            case UInt8(ascii: "&"): kind = .variable(escaped: false)
            case UInt8(ascii: "#"): kind = .section
            case UInt8(ascii: "^"): kind = .inverted
            case UInt8(ascii: "/"): kind = .close
            case UInt8(ascii: ">"): kind = .partial
            case UInt8(ascii: "<"): kind = .parent
            case UInt8(ascii: "$"): kind = .block
            case UInt8(ascii: "!"): kind = .comment
            case UInt8(ascii: "="): kind = .delimiters
            default: kind = .variable(escaped: true)
            }
            if kind != .variable(escaped: true) { content = content.dropFirst() }
        }
        switch kind {
        case .comment:
            return MustacheToken(kind: kind, name: "", start: start, end: end, delimiters: delimiters)
        case .delimiters:
            guard content.last == UInt8(ascii: "=") else {
                throw error(.badDelimiters(String(decoding: content, as: UTF8.self)), at: start)
            }
            let parts = Self.trimmed(content.dropLast()).split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            guard parts.count == 2, !parts.contains(where: { $0.contains(UInt8(ascii: "=")) }) else {
                throw error(.badDelimiters(String(decoding: content, as: UTF8.self)), at: start)
            }
            delimiters = MustacheDelimiters(open: Array(parts[0]), close: Array(parts[1]))
            return MustacheToken(kind: kind, name: "", start: start, end: end, delimiters: delimiters)
        default:
            let name = String(decoding: Self.trimmed(content), as: UTF8.self)
            guard !name.isEmpty else { throw error(.emptyTag, at: start) }
            return MustacheToken(kind: kind, name: name, start: start, end: end, delimiters: delimiters)
        }
    }

    private func matches(_ pattern: [UInt8], at index: Int) -> Bool {
        guard index + pattern.count <= source.count else { return false }
        for offset in 0..<pattern.count where source[index + offset] != pattern[offset] { return false }
        return true
    }

    private func contains(_ pattern: [UInt8], in slice: ArraySlice<UInt8>) -> Bool {
        find(pattern, from: slice.startIndex, before: slice.endIndex) != nil
    }

    /// Where `pattern` first starts at or after `index`, wholly before `end`.
    private func find(_ pattern: [UInt8], from index: Int, before end: Int? = nil) -> Int? {
        let end = end ?? source.count
        var at = index
        while at + pattern.count <= end {
            if matches(pattern, at: at) { return at }
            at += 1
        }
        return nil
    }

    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, MustacheScanner.isSpace(first) { slice = slice.dropFirst() }
        while let last = slice.last, MustacheScanner.isSpace(last) { slice = slice.dropLast() }
        return slice
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }

    /// The line and column (from 1) of the byte at `offset`.
    func position(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in source[..<min(offset, source.count)] {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return (line + lineOffset, column)
    }

    func error(_ reason: MustacheError.Reason, at offset: Int) -> MustacheError {
        let (line, column) = position(of: offset)
        return MustacheError(template: templateName, line: line, column: column, reason: reason)
    }
}
