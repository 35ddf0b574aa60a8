import Synchronization

/// Request ids unique per process and unlikely to repeat across processes: a random prefix chosen
/// at start and a counter, 15 characters of `[0-9a-v]` (base 32) in all, so that making one costs
/// an atomic add, some shifts and no allocation (Swift keeps strings of up to 15 bytes inline).
final class RequestIDGenerator: Sendable {
    /// 7 random base-32 digits (35 bits): two processes share a prefix about once in 3 × 10^10 pairs.
    private let prefix: UInt64
    private let counter = Atomic<UInt64>(0)
    static let prefixLength = 7
    /// 8 base-32 digits: 1.1 × 10^12 ids before the counter part wraps.
    static let counterLength = 8

    init() {
        var random = SystemRandomNumberGenerator()
        prefix = random.next(upperBound: Self.power(Self.prefixLength))
    }

    func next() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue & (Self.power(Self.counterLength) - 1)
        let length = Self.prefixLength + Self.counterLength
        return String(unsafeUninitializedCapacity: length) { buffer in
            Self.writeBase32(prefix, into: UnsafeMutableBufferPointer(rebasing: buffer[0..<Self.prefixLength]))
            Self.writeBase32(n, into: UnsafeMutableBufferPointer(rebasing: buffer[Self.prefixLength...]))
            return length
        }
    }

    /// `value` in base 32, zero-padded to fill `buffer`.
    private static func writeBase32(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>) {
        var value = value
        var index = buffer.count - 1
        while index >= 0 {
            let digit = UInt8(value & 31)
            buffer[index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
            value >>= 5
            index -= 1
        }
    }

    private static func power(_ digits: Int) -> UInt64 {
        1 << (5 * UInt64(digits))
    }
}
