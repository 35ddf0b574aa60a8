import Glibc
import Synchronization
import VisitStore
import Timekeeping

/// The outcome of the last store check and when it was made, shared by every event loop, so that
/// `/health` asks the store at most once per `AppConfiguration.healthCacheDuration`.
///
/// Times are `MonotonicTime`: a `ContinuousClock` reading and the `Duration` arithmetic to compare
/// it cost some 400 instructions (128-bit multiplications), a fifth of answering `/health`.
final class HealthCheckCache: Sendable {
    private let maximumAge: UInt64
    /// Where times come from: the monotonic clock, or a test's.
    private let now: @Sendable () -> MonotonicTime
    private let last = Mutex<(at: MonotonicTime, result: Result<Void, HealthProblem>)?>(nil)

    /// Results younger than `maximumAge` are reused; `.zero` (or less) reuses none.
    init(maximumAge: Duration, now: @escaping @Sendable () -> MonotonicTime = { .now() }) {
        self.now = now
        self.maximumAge = UInt64(max(0, maximumAge.nanoseconds))
    }

    /// The last outcome if it is young enough.
    func result() -> Result<Void, HealthProblem>? {
        guard maximumAge > 0 else { return nil }
        let now = now()
        return last.withLock { entry in
            guard let entry, now.nanoseconds &- entry.at.nanoseconds < maximumAge else { return nil }
            return entry.result
        }
    }

    /// Forgets the last outcome: the next check asks the store.
    func clear() {
        last.withLock { $0 = nil }
    }

    func record(_ result: Result<Void, HealthProblem>) {
        let now = now()
        last.withLock { $0 = (now, result) }
    }
}

/// Why `/health` answers 503: what it tells a monitor (the store does not answer, or visits cannot
/// be written), and the store's error behind it, for the log only.
struct HealthProblem: Error {
    enum Kind: String {
        case readsFailing = "the visit store does not answer"
        case writesFailing = "visits cannot be written"
        /// A paused database waking up (`VisitStoreError.resuming`).
        case resuming = "resuming"
    }

    let kind: Kind
    let error: VisitStoreError

    init(kind: Kind, error: VisitStoreError) {
        if case .resuming = error { self.kind = .resuming } else { self.kind = kind }
        self.error = error
    }
}
