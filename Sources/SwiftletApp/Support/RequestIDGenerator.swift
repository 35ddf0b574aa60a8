import Synchronization

/// Request ids unique per process and unlikely to repeat across processes: a random prefix chosen
/// at start and a counter, 15 characters of `[0-9a-z]` in all, so that making one costs an atomic
/// add and no allocation (Swift keeps strings of up to 15 bytes inline).
final class RequestIDGenerator: Sendable {
    /// 7 random base-36 digits (36 bits): two processes share a prefix about once in 10^10 pairs.
    private let prefix: UInt64
    private let counter = Atomic<UInt64>(0)
    static let prefixLength = 7
    /// 8 base-36 digits: 2.8 × 10^12 ids before the counter part wraps.
    static let counterLength = 8

    init() {
        var random = SystemRandomNumberGenerator()
        prefix = random.next(upperBound: Self.power(Self.prefixLength))
    }

    func next() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue % Self.power(Self.counterLength)
        let length = Self.prefixLength + Self.counterLength
        return String(unsafeUninitializedCapacity: length) { buffer in
            Self.writeBase36(prefix, into: UnsafeMutableBufferPointer(rebasing: buffer[0..<Self.prefixLength]))
            Self.writeBase36(n, into: UnsafeMutableBufferPointer(rebasing: buffer[Self.prefixLength...]))
            return length
        }
    }

    /// `value` in base 36, zero-padded to fill `buffer`.
    private static func writeBase36(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>) {
        var value = value
        for index in buffer.indices.reversed() {
            let digit = UInt8(value % 36)
            buffer[index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
            value /= 36
        }
    }

    private static func power(_ digits: Int) -> UInt64 {
        (0..<digits).reduce(1) { product, _ in product * 36 }
    }
}
