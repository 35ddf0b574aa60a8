/// One piece of template source: literal text (never spanning a line end) or a tag.
struct MustacheToken {
    enum Kind: Equatable {
        case text
        case variable(escaped: Bool)
        case section
        case inverted
        case close
        case partial
        case parent
        case block
        case comment
        case delimiters
    }

    var kind: Kind
    /// The tag's name, trimmed; empty for text, comments and delimiter changes.
    var name: String
    /// Where the token starts and ends in the source.
    var start: Int
    var end: Int
    /// The delimiters in force after this token, for parsing a block's content again.
    var delimiters: MustacheDelimiters
    /// Set by the standalone pass: the tag stood alone on its line, which is removed from the output.
    var standalone = false
    /// The whitespace before a standalone tag on its line.
    var indent: [UInt8] = []
    /// For a standalone tag: where its line starts and where the next line starts.
    var lineStart = 0
    var lineEnd = 0
    /// Set by the standalone pass on text that is not output (whitespace of a standalone line).
    var removed = false

    /// Tags that may stand alone on a line and then take the line with them (spec: "standalone").
    var canStandAlone: Bool {
        switch kind {
        case .section, .inverted, .close, .partial, .parent, .block, .comment, .delimiters: true
        case .text, .variable: false
        }
    }
}

/// The open and close delimiters, `{{` and `}}` until a `{{=<% %>=}}` tag changes them.
struct MustacheDelimiters: Equatable {
    var open: [UInt8] = Array("{{".utf8)
    var close: [UInt8] = Array("}}".utf8)
}
