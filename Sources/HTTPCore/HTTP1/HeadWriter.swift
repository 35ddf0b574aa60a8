/// Writes a response head into raw memory with `memcpy`: appending each of a head's twenty-odd
/// pieces to an `Array` cost more than making the response. It never writes past its memory; it
/// says `overflowed` instead, and the caller tries again with more.
struct HeadWriter {
    private let memory: UnsafeMutableRawBufferPointer
    private(set) var count = 0
    private(set) var overflowed = false

    init(_ memory: UnsafeMutableRawBufferPointer) {
        self.memory = memory
    }

    /// What has been written.
    var written: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: memory[0..<count]) }

    @inline(__always)
    mutating func write(_ bytes: UnsafeRawBufferPointer) {
        write(bytes.baseAddress, count: bytes.count)
    }

    @inline(__always)
    mutating func write(_ source: UnsafeRawPointer?, count length: Int) {
        guard !overflowed, length <= memory.count - count else { overflowed = true; return }
        guard let source, length > 0 else { return }
        let target = memory.baseAddress! + count
        if length <= 16 {
            // Most pieces are a few bytes: a loop beats calling memcpy.
            for offset in 0..<length { target.storeBytes(of: source.load(fromByteOffset: offset, as: UInt8.self), toByteOffset: offset, as: UInt8.self) }
        } else {
            target.copyMemory(from: source, byteCount: length)
        }
        count += length
    }

    /// Constant text, copied from the binary with no reference counting.
    @inline(__always)
    mutating func write(_ text: StaticString) {
        write(UnsafeRawPointer(text.utf8Start), count: text.utf8CodeUnitCount)
    }

    @inline(__always)
    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    mutating func write(byte: UInt8) {
        guard !overflowed, count < memory.count else { overflowed = true; return }
        memory[count] = byte
        count += 1
    }

    /// A non-negative decimal number.
    mutating func write(number: Int) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes: room for any Int
        withUnsafeMutableBytes(of: &digits) { buffer in
            var value = number.magnitude
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            } while value > 0
            write(UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }
}
