import Synchronization

/// Request ids unique per process and unlikely to repeat across processes: a random prefix chosen
/// at start and a counter, so making one costs an atomic add, not a system call.
final class RequestIDGenerator: Sendable {
    private let prefix: String
    private let counter = Atomic<UInt64>(0)

    init() {
        var random = SystemRandomNumberGenerator()
        let value = random.next() as UInt64
        prefix = String(value, radix: 16).leftPadded(to: 16)
    }

    func next() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        return prefix + "-" + String(n, radix: 16).leftPadded(to: 8)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
