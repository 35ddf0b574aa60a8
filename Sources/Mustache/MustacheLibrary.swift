/// A set of named templates compiled once, which may include each other as partials
/// (`{{>name}}`) and parents (`{{<name}}`). Immutable after `init`, so one library serves every
/// request on every thread.
public struct MustacheLibrary: Sendable {
    /// The parsed templates, for the checks an app makes at start.
    let templates: [String: [MustacheNode]]
    /// The same, laid out for rendering.
    let program: MustacheProgram
    /// The sources as given, to point at a tag's line and column in the checks an app makes.
    let sources: [String: [UInt8]]

    /// Compiles every template of `sources` (name → source). Throws the first syntax error, with
    /// the template's name, line and column.
    public init(sources: [String: String]) throws(MustacheError) {
        var compiled: [String: [MustacheNode]] = [:]
        var bytes: [String: [UInt8]] = [:]
        for (name, source) in sources.sorted(by: { $0.key < $1.key }) {
            bytes[name] = Array(source.utf8)
            compiled[name] = try MustacheParser.compile(bytes[name]!, name: name)
        }
        self.sources = bytes
        templates = compiled
        program = MustacheProgram(compiled)
    }

    /// The names of the templates in the library.
    public var names: [String] { templates.keys.sorted() }

    /// Partials and parents named by some template but absent from the library, as
    /// `(template, missing name)`. The spec renders a missing partial as nothing; an app calls
    /// this at start to refuse such a library instead.
    public func missingPartials() -> [(template: String, partial: String)] {
        var missing: [(template: String, partial: String)] = []
        func walk(_ nodes: [MustacheNode], in template: String) {
            for node in nodes {
                switch node {
                case .partial(let name, _):
                    if templates[name] == nil { missing.append((template, name)) }
                case .parent(let name, _, let overrides):
                    if templates[name] == nil { missing.append((template, name)) }
                    for (_, nodes) in overrides.sorted(by: { $0.key < $1.key }) { walk(nodes, in: template) }
                case .section(_, let children, _), .inverted(_, let children):
                    walk(children, in: template)
                case .block(_, let block):
                    walk(block.defaultNodes, in: template)
                case .text, .variable:
                    break
                }
            }
        }
        for name in names { walk(templates[name]!, in: name) }
        return missing
    }

    /// The text inside every `{{#name}}...{{/name}}` section, as `(template, text)`: lets an app
    /// check at start what its helper lambdas will be asked for (asset names, say).
    public func sectionTexts(named section: String) -> [(template: String, text: String)] {
        var found: [(template: String, text: String)] = []
        func walk(_ nodes: [MustacheNode], in template: String) {
            for node in nodes {
                switch node {
                case .section(let name, let children, let raw):
                    if case .path(let parts) = name, parts == [section] { found.append((template, raw)) }
                    walk(children, in: template)
                case .inverted(_, let children):
                    walk(children, in: template)
                case .parent(_, _, let overrides):
                    for (_, nodes) in overrides.sorted(by: { $0.key < $1.key }) { walk(nodes, in: template) }
                case .block(_, let block):
                    walk(block.defaultNodes, in: template)
                case .text, .variable, .partial:
                    break
                }
            }
        }
        for name in names { walk(templates[name]!, in: name) }
        return found
    }

    /// Renders the template `name` with `context`, appending to `output`. Returns `false` when
    /// there is no such template.
    @discardableResult
    public func render(_ name: String, context: MustacheValue, into output: inout [UInt8]) -> Bool {
        render(name, contexts: [context], into: &output)
    }

    /// Renders with a stack of contexts, outermost first: a name is looked up in the last one,
    /// then the ones before it, as if each were a section around the template. Lets an app keep
    /// values shared by every page in one context built once, and only build the rest per render.
    @discardableResult
    public func render(_ name: String, contexts: [MustacheValue], into output: inout [UInt8]) -> Bool {
        render(name, contexts: contexts) { $0.copy(to: &output) } != nil
    }

    /// Renders into a new array of exactly the page's size; `nil` when there is no such template.
    public func render(_ name: String, contexts: [MustacheValue]) -> [UInt8]? {
        render(name, contexts: contexts) { $0.bytes() }
    }

    /// Renders into a buffer on the stack (the heap only for a page larger than it) and hands it
    /// to `finish`: no allocation per render but the result's.
    private func render<T>(_ name: String, contexts: [MustacheValue], finish: (borrowing RenderBuffer) -> T) -> T? {
        guard let template = program.templateIndex[name] else { return nil }
        return withUnsafeTemporaryAllocation(byteCount: Self.stackBytes, alignment: 16) { scratch in
            var renderer = MustacheRenderer(program: program, stack: contexts, scratch: scratch)
            renderer.render(template: template)
            return finish(renderer.output)
        }
    }

    /// The stack a render writes into before it needs the heap.
    static let stackBytes = 16 * 1024

    /// Renders the template `name` with `context` into new bytes; `nil` when there is no such template.
    public func render(_ name: String, context: MustacheValue) -> [UInt8]? {
        var output: [UInt8] = []
        return render(name, context: context, into: &output) ? output : nil
    }
}
