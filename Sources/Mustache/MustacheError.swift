/// A template that cannot be compiled, with the file, line and column to look at. Raised when the
/// templates are loaded at start, never while a request is being answered.
public struct MustacheError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case unclosedTag(open: String)
        case emptyTag
        case badDelimiters(String)
        case unclosedSection(String)
        case unexpectedClose(String)
        case mismatchedClose(expected: String, found: String)
        case missingPartial(String)
    }

    public var template: String
    public var line: Int
    public var column: Int
    public var reason: Reason

    public var description: String {
        let what = switch reason {
        case .unclosedTag(let open): "a tag opened with \(open) is never closed"
        case .emptyTag: "a tag has no name"
        case .badDelimiters(let text): "cannot set delimiters from \"\(text)\": expected two delimiters without spaces or '='"
        case .unclosedSection(let name): "the section \"\(name)\" is never closed"
        case .unexpectedClose(let name): "{{/\(name)}} closes nothing"
        case .mismatchedClose(let expected, let found): "{{/\(found)}} where {{/\(expected)}} was expected"
        case .missingPartial(let name): "the partial \"\(name)\" does not exist"
        }
        return "\(template):\(line):\(column): \(what)"
    }
}
