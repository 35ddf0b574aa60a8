/// Walks compiled nodes with a context stack and writes bytes. One per render call; never shared.
struct MustacheRenderer {
    let library: MustacheLibrary
    var output: [UInt8]
    var stack: [MustacheValue]
    /// The output is at the start of a template line: the next template byte gets the indentation.
    var atLineStart = false
    /// How deep partials nest, so that a template including itself forever stops instead of crashing.
    var depth = 0
    static let maxDepth = 64

    mutating func render(_ nodes: [MustacheNode], indent: [UInt8], overrides: [String: [MustacheNode]]) {
        for node in nodes {
            switch node {
            case .text(let bytes):
                writeTemplateText(bytes, indent: indent)
            case .variable(let name, let escaped):
                if atLineStart { output.append(contentsOf: indent); atLineStart = false }
                writeValue(lookup(name), escaped: escaped)
            case .section(let name, let children, let raw):
                let value = lookup(name)
                switch value {
                case .list(let items):
                    for item in items {
                        stack.append(item)
                        render(children, indent: indent, overrides: overrides)
                        stack.removeLast()
                    }
                case .lambda(let transform):
                    if atLineStart { output.append(contentsOf: indent); atLineStart = false }
                    HTMLEscaping.append(transform(raw), to: &output)
                default:
                    guard value.isTruthy else { continue }
                    stack.append(value)
                    render(children, indent: indent, overrides: overrides)
                    stack.removeLast()
                }
            case .inverted(let name, let children):
                if !lookup(name).isTruthy { render(children, indent: indent, overrides: overrides) }
            case .partial(let name, let own):
                guard let nodes = library.templates[name] else { continue }
                include(nodes, indent: indent, own: own, overrides: overrides)
            case .parent(let name, let own, let blocks):
                guard let nodes = library.templates[name] else { continue }
                // The outermost override of a block wins (spec: multi-level inheritance).
                // No copy when only one side has overrides.
                let merged = overrides.isEmpty ? blocks : blocks.isEmpty ? overrides : blocks.merging(overrides) { _, outer in outer }
                include(nodes, indent: indent, own: own, overrides: merged)
            case .block(let name, let block):
                let content = overrides[name] ?? block.defaultNodes
                include(content, indent: indent, own: block.indent, overrides: overrides)
            }
        }
    }

    /// Renders included nodes: indented line by line when their tag stood alone (`own` is set),
    /// as they are when it was inline.
    private mutating func include(_ nodes: [MustacheNode], indent: [UInt8], own: [UInt8]?, overrides: [String: [MustacheNode]]) {
        guard depth < Self.maxDepth else { return }
        depth += 1
        defer { depth -= 1 }
        if let own {
            atLineStart = true
            render(nodes, indent: indent + own, overrides: overrides)
        } else {
            render(nodes, indent: [], overrides: overrides)
            atLineStart = false
        }
    }

    private mutating func writeTemplateText(_ bytes: [UInt8], indent: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if indent.isEmpty {
            output.append(contentsOf: bytes)
            atLineStart = bytes.last == UInt8(ascii: "\n")
            return
        }
        // Line by line: the indentation goes before every line that has something on it.
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.count
            if atLineStart && bytes[start] != UInt8(ascii: "\n") && bytes[start] != UInt8(ascii: "\r") {
                output.append(contentsOf: indent)
            }
            output.append(contentsOf: bytes[start..<end])
            atLineStart = bytes[end - 1] == UInt8(ascii: "\n")
            start = end
        }
    }

    private mutating func writeValue(_ value: MustacheValue, escaped: Bool) {
        switch value {
        case .null, .list, .object: return
        case .string(let text): write(text, escaped: escaped)
        case .int(let number): write(String(number), escaped: false)
        case .double(let number): write(number.description, escaped: false)
        case .bool(let flag): write(flag ? "true" : "false", escaped: false)
        case .lambda(let transform): write(transform(""), escaped: escaped)
        }
    }

    private mutating func write(_ text: String, escaped: Bool) {
        if escaped { HTMLEscaping.append(text, to: &output) } else { output.append(contentsOf: text.utf8) }
    }

    /// Finds a name: its first part on the nearest context that has it, the rest inside that
    /// value only (spec: dotted names do not fall back to outer contexts).
    private func lookup(_ name: MustacheName) -> MustacheValue {
        guard case .path(let parts) = name else { return stack.last ?? .null }
        var found: MustacheValue?
        for context in stack.reversed() {
            if let value = context[parts[0]] { found = value; break }
        }
        guard var value = found else { return .null }
        for part in parts.dropFirst() {
            guard let next = value[part] else { return .null }
            value = next
        }
        return value
    }
}
