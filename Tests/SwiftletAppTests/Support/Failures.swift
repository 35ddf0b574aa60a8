import Glibc
import Synchronization

/// A count of failures from many threads.
final class Failures: Sendable {
    private let value = Atomic<Int>(0)
    func add() { value.add(1, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}
