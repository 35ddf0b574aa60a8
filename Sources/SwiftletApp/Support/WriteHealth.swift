import Synchronization
import VisitStore
import Timekeeping

/// Whether the last visit the app tried to count failed: `/health` must then say what visitors see
/// (a 503), even though the store still answers reads, until a write succeeds again. A read-only
/// check cannot see a full disk or denied writes; this can.
final class WriteHealth: Sendable {
    private let failure = Mutex<VisitStoreError?>(nil)
    /// `/health`'s cached outcome, forgotten when writes fail or work again, so that it never
    /// answers from before the change.
    private let healthCache: HealthCheckCache

    init(healthCache: HealthCheckCache) {
        self.healthCache = healthCache
    }

    var lastFailure: VisitStoreError? { failure.withLock { $0 } }

    func failed(_ error: VisitStoreError) {
        let wasFailing = failure.withLock { state in
            defer { state = error }
            return state != nil
        }
        if !wasFailing { healthCache.clear() }
    }

    func succeeded() {
        let wasFailing = failure.withLock { state in
            defer { if state != nil { state = nil } }
            return state != nil
        }
        if wasFailing { healthCache.clear() }
    }

    /// Counts a visit through `store`, noting whether the write worked.
    func increment(_ store: any VisitStore, region: String, deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts {
        do {
            let counts = try await store.increment(region: region, deadline: deadline)
            succeeded()
            return counts
        } catch {
            failed(error)
            throw error
        }
    }
}
