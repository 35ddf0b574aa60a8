import CLinux

/// A point on the monotonic clock in nanoseconds, and the one deadline type of every layer: the
/// event loops' timers, a socket call's limit, a request's `deadline`, a store call's. Cheap to
/// read (one `clock_gettime`, no 128-bit arithmetic), never jumps with the wall clock, and plain
/// enough that state machines can take it as an argument and tests can make it up.
public struct MonotonicTime: Comparable, Hashable, Sendable {
    public var nanoseconds: UInt64

    public init(nanoseconds: UInt64) {
        self.nanoseconds = nanoseconds
    }

    /// The latest time there is: a deadline that never comes.
    public static let never = MonotonicTime(nanoseconds: .max)

    /// Now.
    public static func now() -> MonotonicTime {
        // The C shim is inlined into the caller; Glibc's overlay took some 40 instructions more a read.
        MonotonicTime(nanoseconds: UInt64(clinux_monotonic_ns()))
    }

    /// `duration` from now.
    public static func after(_ duration: Duration) -> MonotonicTime {
        now().advanced(by: duration)
    }

    public static func < (lhs: MonotonicTime, rhs: MonotonicTime) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// This time plus `duration` (saturating; a negative duration counts as zero).
    public func advanced(by duration: Duration) -> MonotonicTime {
        advanced(byNanoseconds: UInt64(max(0, duration.nanoseconds)))
    }

    /// This time plus `delta` nanoseconds (saturating).
    public func advanced(byNanoseconds delta: UInt64) -> MonotonicTime {
        let (sum, overflow) = nanoseconds.addingReportingOverflow(delta)
        return MonotonicTime(nanoseconds: overflow ? .max : sum)
    }

    /// Milliseconds from this time until `later`, rounded up; 0 when `later` has passed.
    public func milliseconds(until later: MonotonicTime) -> Int {
        later.nanoseconds > nanoseconds ? Int(min((later.nanoseconds - nanoseconds + 999_999) / 1_000_000, UInt64(Int.max))) : 0
    }

    /// The time from `earlier` to `later`; zero if `earlier` is not before it.
    public static func - (later: MonotonicTime, earlier: MonotonicTime) -> Duration {
        later.nanoseconds > earlier.nanoseconds ? .nanoseconds(Int64(min(later.nanoseconds - earlier.nanoseconds, UInt64(Int64.max)))) : .zero
    }

    /// How long from now until this time; zero once it has passed.
    public var remaining: Duration {
        self - .now()
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating at `Int64`'s bounds: the one conversion from
    /// `Duration` that timers, deadlines, caches and logs share.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return sum
    }

    /// The duration in whole microseconds (truncated).
    public var microseconds: Int64 { nanoseconds / 1000 }

    /// The duration in whole milliseconds (truncated).
    public var milliseconds: Int64 { nanoseconds / 1_000_000 }
}
