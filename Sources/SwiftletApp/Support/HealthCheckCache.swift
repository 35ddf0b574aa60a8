import Synchronization
import VisitStore

/// The outcome of the last store check and when it was made, shared by every event loop, so that
/// `/health` asks the store at most once per `AppConfiguration.healthCacheDuration`.
final class HealthCheckCache: Sendable {
    private let last = Mutex<(at: ContinuousClock.Instant, result: Result<Void, VisitStoreError>)?>(nil)

    /// The last outcome if it is younger than `age`.
    func result(within age: Duration) -> Result<Void, VisitStoreError>? {
        guard age > .zero else { return nil }
        return last.withLock { entry in
            guard let entry, ContinuousClock.now - entry.at < age else { return nil }
            return entry.result
        }
    }

    func record(_ result: Result<Void, VisitStoreError>) {
        last.withLock { $0 = (ContinuousClock.now, result) }
    }
}
