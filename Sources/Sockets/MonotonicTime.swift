import CLinux

/// A point on the monotonic clock in nanoseconds: cheap to read, never jumps with the wall clock, and
/// plain enough that state machines can take it as an argument and tests can make it up.
public struct MonotonicTime: Comparable, Hashable, Sendable {
    public var nanoseconds: UInt64

    public init(nanoseconds: UInt64) {
        self.nanoseconds = nanoseconds
    }

    /// Now.
    public static func now() -> MonotonicTime {
        MonotonicTime(nanoseconds: clinux_monotonic_ns())
    }

    public static func < (lhs: MonotonicTime, rhs: MonotonicTime) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// This time plus `duration` (saturating).
    public func advanced(by duration: Duration) -> MonotonicTime {
        let (seconds, attoseconds) = duration.components
        let delta = UInt64(max(0, seconds)) &* 1_000_000_000 &+ UInt64(max(0, attoseconds / 1_000_000_000))
        let (sum, overflow) = nanoseconds.addingReportingOverflow(delta)
        return MonotonicTime(nanoseconds: overflow ? .max : sum)
    }

    /// This time plus `delta` nanoseconds (saturating).
    public func advanced(byNanoseconds delta: UInt64) -> MonotonicTime {
        let (sum, overflow) = nanoseconds.addingReportingOverflow(delta)
        return MonotonicTime(nanoseconds: overflow ? .max : sum)
    }

    /// Milliseconds from this time until `later`, 0 when `later` has passed.
    public func milliseconds(until later: MonotonicTime) -> Int {
        later.nanoseconds > nanoseconds ? Int((later.nanoseconds - nanoseconds + 999_999) / 1_000_000) : 0
    }
}
