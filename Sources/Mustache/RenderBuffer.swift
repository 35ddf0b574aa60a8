/// Where a render writes: raw memory filled with `memcpy`, first the caller's (a stack buffer),
/// then heap grown by doubling if a page outgrows it. A page is some sixty pieces of text and
/// values, and `Array.append(contentsOf:)` cost about seventy instructions a piece before copying
/// a byte; this costs a comparison. The bytes go to the caller's array once, at the end.
struct RenderBuffer: ~Copyable {
    private var start: UnsafeMutableRawPointer
    private var capacity: Int
    private var ownsMemory = false
    private(set) var count = 0

    /// Writes into `scratch` until it is full; `scratch` must outlive the buffer.
    init(scratch: UnsafeMutableRawBufferPointer) {
        if let base = scratch.baseAddress, scratch.count > 0 {
            start = base
            capacity = scratch.count
        } else {
            start = .allocate(byteCount: 4096, alignment: 1)
            capacity = 4096
            ownsMemory = true
        }
    }

    deinit {
        if ownsMemory { start.deallocate() }
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (start + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        append(UnsafeRawBufferPointer(bytes))
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// A decimal number, without making a String of it.
    mutating func append(number: Int) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes: room for any Int and its sign
        withUnsafeMutableBytes(of: &digits) { buffer in
            var value = number.magnitude
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            } while value > 0
            if number < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            append(UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// `text` with `& < > " '` as entities, so that a value can go in element content and in
    /// quoted attributes alike (the escaping of `{{name}}`).
    mutating func appendEscaped(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                // One comparison for the bytes that are never escaped (all but five, all below '?').
                if bytes[index] > UInt8(ascii: ">") { continue }
                let entity: StaticString
                switch bytes[index] {
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                case UInt8(ascii: "\""): entity = "&quot;"
                case UInt8(ascii: "'"): entity = "&#39;"
                default: continue
                }
                append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                append(UnsafeRawBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
                runStart = index + 1
            }
            append(UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
    }

    /// Appends what was written to `output`.
    func copy(to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeRawBufferPointer(start: start, count: count).assumingMemoryBound(to: UInt8.self))
    }

    /// What was written, in an array of exactly that size.
    func bytes() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: start, byteCount: count) }
            initialized = count
        }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let larger = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 1)
        larger.copyMemory(from: start, byteCount: count)
        if ownsMemory { start.deallocate() }
        start = larger
        capacity = newCapacity
        ownsMemory = true
    }
}
