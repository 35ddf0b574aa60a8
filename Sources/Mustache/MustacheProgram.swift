/// Every template of a library laid out flat for rendering: one list of plain operations and one
/// block of bytes holding all literal text, both allocated once and never copied.
///
/// The node tree the parser makes is convenient to build and check, but walking it copied each
/// node's arrays, and copying retains: with both event loops rendering the same shared nodes, the
/// reference counts bounced between cores and took a quarter of a page's time. Operations here hold
/// only integers (offsets into the text, indexes of names, templates and blocks), so the renderer
/// walks them through unsafe pointers and touches no reference count until it reads the context.
final class MustacheProgram: @unchecked Sendable {
    /// A span of `text`: literal bytes, or an indentation (`count` 0 is none).
    struct Span {
        var start: Int32
        var count: Int32
        static let none = Span(start: 0, count: 0)
    }

    enum Operation {
        /// Literal bytes; never holds a line break except as its last byte (split when linked),
        /// so indentation is decided once per operation.
        case text(Span)
        case variable(name: Int32, escaped: Bool)
        /// The body is the operations after this one up to `end`; `raw` indexes `raws`.
        case section(name: Int32, end: Int32, raw: Int32)
        case inverted(name: Int32, end: Int32)
        /// `template` is -1 when the library has none of that name (rendered as nothing).
        /// `own` is the standalone tag's indentation, `nil` when the tag was inline.
        case partial(template: Int32, own: Span?)
        /// The overriding blocks are `blocks[blocks]`; their bodies follow this operation, up to `end`.
        case parent(template: Int32, own: Span?, blocks: Range<Int32>, end: Int32)
        /// The default content follows this operation, up to `end`.
        case block(name: Int32, own: Span?, end: Int32)
    }

    /// A block a parent overrides: its name and the operations of its content.
    struct Override {
        var name: Int32
        var body: Range<Int32>
    }

    let operations: UnsafeMutableBufferPointer<Operation>
    let text: UnsafeMutableRawBufferPointer
    /// Each template's operations by template index; `templateIndex` maps names to indexes.
    let templates: [Range<Int32>]
    let templateIndex: [String: Int32]
    /// Each name as a span of `nameParts` (a dotted path's parts); `count` -1 is `.`.
    let names: UnsafeMutableBufferPointer<Span>
    let nameParts: UnsafeMutableBufferPointer<String>
    let overrides: [Override]
    /// The source inside each section, for lambdas.
    let raws: [String]

    init(_ library: [String: [MustacheNode]]) {
        var linker = Linker()
        let sorted = library.keys.sorted()
        for (index, name) in sorted.enumerated() { linker.templateIndex[name] = Int32(index) }
        var ranges: [Range<Int32>] = []
        for name in sorted {
            let start = Int32(linker.operations.count)
            linker.link(library[name]!)
            ranges.append(start..<Int32(linker.operations.count))
        }
        operations = .allocate(capacity: max(linker.operations.count, 1))
        _ = operations.initialize(from: linker.operations)
        text = .allocate(byteCount: max(linker.text.count, 1), alignment: 1)
        text.copyBytes(from: linker.text)
        templates = ranges
        templateIndex = linker.templateIndex
        names = .allocate(capacity: max(linker.names.count, 1))
        var parts: [String] = []
        for (index, name) in linker.names.enumerated() {
            if let name {
                names.initializeElement(at: index, to: Span(start: Int32(parts.count), count: Int32(name.count)))
                parts += name
            } else {
                names.initializeElement(at: index, to: Span(start: 0, count: -1))
            }
        }
        nameParts = .allocate(capacity: max(parts.count, 1))
        _ = nameParts.initialize(from: parts)
        namePartCount = parts.count
        overrides = linker.overrides
        raws = linker.raws
    }

    private let namePartCount: Int

    deinit {
        nameParts.baseAddress!.deinitialize(count: namePartCount)
        nameParts.deallocate()
        names.deallocate()
        operations.deallocate()
        text.deallocate()
    }

    /// Turns nodes into operations, interning names and block names.
    private struct Linker {
        var operations: [Operation] = []
        var text: [UInt8] = []
        var templateIndex: [String: Int32] = [:]
        var names: [[String]?] = []
        var nameIndex: [String: Int32] = [:]
        var blockIndex: [String: Int32] = [:]
        var overrides: [Override] = []
        var raws: [String] = []

        mutating func link(_ nodes: [MustacheNode]) {
            for node in nodes {
                switch node {
                case .text(let bytes):
                    // One operation per line, so the renderer never searches for line breaks.
                    var start = 0
                    while start < bytes.count {
                        let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.count
                        operations.append(.text(span(bytes[start..<end])))
                        start = end
                    }
                case .variable(let name, let escaped):
                    operations.append(.variable(name: intern(name), escaped: escaped))
                case .section(let name, let children, let raw):
                    let at = placeholder()
                    raws.append(raw)
                    link(children)
                    operations[at] = .section(name: intern(name), end: Int32(operations.count), raw: Int32(raws.count - 1))
                case .inverted(let name, let children):
                    let at = placeholder()
                    link(children)
                    operations[at] = .inverted(name: intern(name), end: Int32(operations.count))
                case .partial(let name, let own):
                    operations.append(.partial(template: templateIndex[name] ?? -1, own: span(own)))
                case .parent(let name, let own, let blocks):
                    let at = placeholder()
                    var linked: [Override] = []
                    for (block, body) in blocks.sorted(by: { $0.key < $1.key }) {
                        let start = Int32(operations.count)
                        link(body)
                        linked.append(Override(name: internBlock(block), body: start..<Int32(operations.count)))
                    }
                    let first = Int32(overrides.count)
                    overrides += linked
                    operations[at] = .parent(template: templateIndex[name] ?? -1, own: span(own),
                                             blocks: first..<Int32(overrides.count), end: Int32(operations.count))
                case .block(let name, let block):
                    let at = placeholder()
                    link(block.defaultNodes)
                    operations[at] = .block(name: internBlock(name), own: span(block.indent), end: Int32(operations.count))
                }
            }
        }

        /// Block names have an index space of their own: only a block and an override compare them.
        private mutating func internBlock(_ name: String) -> Int32 {
            if let index = blockIndex[name] { return index }
            blockIndex[name] = Int32(blockIndex.count)
            return Int32(blockIndex.count - 1)
        }

        private mutating func placeholder() -> Int {
            operations.append(.text(.none))
            return operations.count - 1
        }

        private mutating func span(_ bytes: [UInt8]?) -> Span? {
            bytes.map { span($0[...]) }
        }

        private mutating func span(_ bytes: ArraySlice<UInt8>) -> Span {
            let start = Int32(text.count)
            text.append(contentsOf: bytes)
            return Span(start: start, count: Int32(bytes.count))
        }

        /// The index of `name`; `.` and each dotted path get one index however often they appear.
        private mutating func intern(_ name: MustacheName) -> Int32 {
            let key: String
            let parts: [String]?
            switch name {
            case .implicit: (key, parts) = (".", nil)
            case .path(let path): (key, parts) = (path.joined(separator: "."), path)
            }
            if let index = nameIndex[key] { return index }
            names.append(parts)
            nameIndex[key] = Int32(names.count - 1)
            return Int32(names.count - 1)
        }
    }
}
