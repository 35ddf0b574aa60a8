/// Runs a library's `MustacheProgram` with a context stack and writes bytes. One per render call;
/// never shared. It reads operations, text and names through the program's unsafe pointers, so
/// walking a template costs no reference counting (see `MustacheProgram`).
struct MustacheRenderer: ~Copyable {
    typealias Operation = MustacheProgram.Operation
    typealias Span = MustacheProgram.Span

    let program: MustacheProgram
    private let operations: UnsafeMutableBufferPointer<Operation>
    private let text: UnsafeMutableRawBufferPointer
    var output: RenderBuffer
    var stack: [MustacheValue]
    /// The output is at the start of a template line: the next template byte gets the indentation.
    private var atLineStart = false
    /// What every template line written now is indented by (standalone partials, parents, blocks).
    private var indent: [UInt8] = []
    /// The blocks overridden by the parents being rendered, outermost first: the outermost
    /// override of a block wins (spec: multi-level inheritance).
    private var overrides: [MustacheProgram.Override] = []
    /// How deep partials nest, so that a template including itself forever stops instead of crashing.
    private var depth = 0
    static let maxDepth = 64
    /// How many partials one render may include in all: depth alone does not bound a template
    /// that includes itself twice (2⁶⁴ expansions; found by the fuzzer as a render that never
    /// ended). A real page includes a few dozen.
    private var includesLeft = 10_000

    init(program: MustacheProgram, stack: [MustacheValue], scratch: UnsafeMutableRawBufferPointer) {
        self.program = program
        self.output = RenderBuffer(scratch: scratch)
        self.operations = program.operations
        self.text = program.text
        self.stack = stack
    }

    /// Renders the template with index `template`.
    mutating func render(template: Int32) {
        run(program.templates[Int(template)])
    }

    private mutating func run(_ range: Range<Int32>) {
        var index = Int(range.lowerBound)
        let end = Int(range.upperBound)
        while index < end {
            switch operations[index] {
            case .text(let span):
                writeTemplateText(span)
                index += 1
            case .variable(let name, let escaped):
                startLine()
                writeValue(lookup(name), escaped: escaped)
                index += 1
            case .section(let name, let bodyEnd, let raw):
                let body = Int32(index + 1)..<bodyEnd
                let value = lookup(name)
                switch value {
                case .list(let items):
                    for item in items {
                        stack.append(item)
                        run(body)
                        stack.removeLast()
                    }
                case .lambda(let transform):
                    startLine()
                    output.appendEscaped(transform(program.raws[Int(raw)]))
                default:
                    if value.isTruthy {
                        stack.append(value)
                        run(body)
                        stack.removeLast()
                    }
                }
                index = Int(bodyEnd)
            case .inverted(let name, let bodyEnd):
                if !lookup(name).isTruthy { run(Int32(index + 1)..<bodyEnd) }
                index = Int(bodyEnd)
            case .partial(let template, let own):
                if template >= 0 { include(program.templates[Int(template)], own: own) }
                index += 1
            case .parent(let template, let own, let blocks, let parentEnd):
                if template >= 0 {
                    let outer = overrides.count
                    overrides += program.overrides[Int(blocks.lowerBound)..<Int(blocks.upperBound)]
                    include(program.templates[Int(template)], own: own)
                    overrides.removeSubrange(outer...)
                }
                index = Int(parentEnd)
            case .block(let name, let own, let blockEnd):
                let content = overrides.first { $0.name == name }?.body ?? Int32(index + 1)..<blockEnd
                include(content, own: own)
                index = Int(blockEnd)
            }
        }
    }

    /// Renders included operations: indented line by line when their tag stood alone (`own` is
    /// set), as they are when it was inline.
    private mutating func include(_ range: Range<Int32>, own: Span?) {
        guard depth < Self.maxDepth, includesLeft > 0 else { return }
        includesLeft -= 1
        depth += 1
        defer { depth -= 1 }
        if let own {
            atLineStart = true
            let outer = indent.count
            indent.append(contentsOf: bytes(own))
            run(range)
            indent.removeSubrange(outer...)
        } else {
            var outer: [UInt8] = []
            swap(&outer, &indent)
            run(range)
            swap(&outer, &indent)
            atLineStart = false
        }
    }

    /// Typed, because `Array.append(contentsOf:)` copies a raw buffer byte by byte and a typed one at once.
    private func bytes(_ span: Span) -> UnsafeBufferPointer<UInt8> {
        UnsafeRawBufferPointer(rebasing: text[Int(span.start)..<Int(span.start + span.count)]).assumingMemoryBound(to: UInt8.self)
    }

    /// Template text is one line at most (see `MustacheProgram.Operation.text`): the indentation
    /// goes before it when it starts a line that has something on it.
    private mutating func writeTemplateText(_ span: Span) {
        let line = bytes(span)
        guard let last = line.last else { return }
        if atLineStart && !indent.isEmpty && line[0] != UInt8(ascii: "\n") && line[0] != UInt8(ascii: "\r") {
            output.append(indent)
        }
        output.append(line)
        atLineStart = last == UInt8(ascii: "\n")
    }

    /// Before an interpolation: the indentation, if the line has nothing on it yet.
    private mutating func startLine() {
        if atLineStart {
            output.append(indent)
            atLineStart = false
        }
    }

    private mutating func writeValue(_ value: MustacheValue, escaped: Bool) {
        switch value {
        case .null, .list, .object: return
        case .string(let text): write(text, escaped: escaped)
        case .int(let number): output.append(number: number)
        case .double(let number): write(number.description, escaped: false)
        case .bool(let flag): write(flag ? "true" : "false", escaped: false)
        case .lambda(let transform): write(transform(""), escaped: escaped)
        }
    }

    private mutating func write(_ text: String, escaped: Bool) {
        if escaped { output.appendEscaped(text) } else { output.append(text) }
    }

    /// Finds a name: its first part on the nearest context that has it, the rest inside that
    /// value only (spec: dotted names do not fall back to outer contexts).
    private func lookup(_ name: Int32) -> MustacheValue {
        let span = program.names[Int(name)]
        guard span.count >= 0 else { return stack.last ?? .null }
        let parts = program.nameParts
        let first = Int(span.start)
        var found: MustacheValue?
        var context = stack.count - 1
        while context >= 0 {
            if let value = stack[context][parts[first]] { found = value; break }
            context -= 1
        }
        guard var value = found else { return .null }
        for part in (first + 1)..<(first + Int(span.count)) {
            guard let next = value[parts[part]] else { return .null }
            value = next
        }
        return value
    }
}
