/// A compiled template: what the parser makes once and the renderer walks per request.
indirect enum MustacheNode: Sendable {
    /// Literal bytes, written as they are.
    case text([UInt8])
    /// `{{name}}` (escaped) or `{{{name}}}` / `{{&name}}` (raw).
    case variable(MustacheName, escaped: Bool)
    /// `{{#name}}...{{/name}}`; `raw` is the source inside, for lambdas.
    case section(MustacheName, [MustacheNode], raw: String)
    /// `{{^name}}...{{/name}}`.
    case inverted(MustacheName, [MustacheNode])
    /// `{{>name}}`; `indent` is set when the tag stood alone on its line.
    case partial(String, indent: [UInt8]?)
    /// `{{<name}}...{{/name}}`: the partial `name` with these blocks overridden.
    case parent(String, indent: [UInt8]?, overrides: [String: [MustacheNode]])
    /// `{{$name}}default{{/name}}`: the caller's override of `name`, or the default.
    case block(String, MustacheBlock)
}

/// A `{{$block}}` at the place it is expanded: its default content and how to indent what goes there.
struct MustacheBlock: Sendable {
    var defaultNodes: [MustacheNode]
    /// Set when the opening tag stood alone on its line: the indentation every line of the content
    /// gets (the default content's own indentation, or else the tag's).
    var indent: [UInt8]?
}

/// A name as a tag spells it: `.` (the current value) or a dotted path.
enum MustacheName: Sendable {
    case implicit
    case path([String])

    init(_ text: String) {
        self = text == "." ? .implicit : .path(text.split(separator: ".", omittingEmptySubsequences: false).map(String.init))
    }
}
