import Glibc
import Synchronization
import VisitStore

/// The outcome of the last store check and when it was made, shared by every event loop, so that
/// `/health` asks the store at most once per `AppConfiguration.healthCacheDuration`.
///
/// Times are monotonic nanoseconds from `clock_gettime`: a `ContinuousClock` reading and the
/// `Duration` arithmetic to compare it cost some 400 instructions (128-bit multiplications), a
/// fifth of answering `/health`.
final class HealthCheckCache: Sendable {
    private let maximumAge: Int64
    private let last = Mutex<(at: Int64, result: Result<Void, VisitStoreError>)?>(nil)

    /// Results younger than `maximumAge` are reused; `.zero` (or less) reuses none.
    init(maximumAge: Duration) {
        let (seconds, attoseconds) = maximumAge.components
        self.maximumAge = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The last outcome if it is young enough.
    func result() -> Result<Void, VisitStoreError>? {
        guard maximumAge > 0 else { return nil }
        let now = Self.now()
        return last.withLock { entry in
            guard let entry, now - entry.at < maximumAge else { return nil }
            return entry.result
        }
    }

    /// Forgets the last outcome: the next check asks the store.
    func clear() {
        last.withLock { $0 = nil }
    }

    func record(_ result: Result<Void, VisitStoreError>) {
        let now = Self.now()
        last.withLock { $0 = (now, result) }
    }

    private static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
