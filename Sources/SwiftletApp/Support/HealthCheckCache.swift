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
    private let last = Mutex<(at: Int64, result: Result<Void, HealthProblem>)?>(nil)

    /// Results younger than `maximumAge` are reused; `.zero` (or less) reuses none.
    init(maximumAge: Duration) {
        let (seconds, attoseconds) = maximumAge.components
        self.maximumAge = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The last outcome if it is young enough.
    func result() -> Result<Void, HealthProblem>? {
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

    func record(_ result: Result<Void, HealthProblem>) {
        let now = Self.now()
        last.withLock { $0 = (now, result) }
    }

    private static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}

/// Why `/health` answers 503: what it tells a monitor (the store does not answer, or visits cannot
/// be written), and the store's error behind it, for the log only.
struct HealthProblem: Error {
    enum Kind: String {
        case readsFailing = "the visit store does not answer"
        case writesFailing = "visits cannot be written"
    }

    let kind: Kind
    let error: VisitStoreError
}
