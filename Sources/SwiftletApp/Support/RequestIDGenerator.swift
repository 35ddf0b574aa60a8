import Synchronization

/// Request ids unique per process and unlikely to repeat across processes: a random prefix chosen
/// at start and a counter, so making one costs an atomic add and 29 bytes, not a system call.
final class RequestIDGenerator: Sendable {
    private let prefix: [UInt8]
    private let counter = Atomic<UInt64>(0)
    private static let digits = Array("0123456789abcdef".utf8)

    init() {
        var random = SystemRandomNumberGenerator()
        prefix = Self.hex(random.next() as UInt64, width: 16) + [UInt8(ascii: "-")]
    }

    func next() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        return String(unsafeUninitializedCapacity: prefix.count + 12) { buffer in
            _ = buffer.initialize(from: prefix)
            var value = n
            for index in stride(from: prefix.count + 11, through: prefix.count, by: -1) {
                buffer[index] = Self.digits[Int(value & 0xF)]
                value >>= 4
            }
            return prefix.count + 12
        }
    }

    static func hex(_ value: UInt64, width: Int) -> [UInt8] {
        (0..<width).reversed().map { digits[Int((value >> (UInt64($0) * 4)) & 0xF)] }
    }
}
