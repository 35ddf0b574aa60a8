import Synchronization
import VisitStore
import Timekeeping

/// Whether the last visit the app tried to count failed: `/health` must then say what visitors see
/// (a 503), even though the store still answers reads, until a write succeeds again. A read-only
/// check cannot see a full disk or denied writes; this can.
final class WriteHealth: Sendable {
    private let failure = Mutex<VisitStoreError?>(nil)
    /// `/health`'s cached outcome. A failed visit is itself a failed check, recorded as one; a
    /// write that works again forgets it. So `/health` never answers from before the change, and
    /// right after a failed visit it says 503 from that evidence, not from a second write of its
    /// own that could find a moment's space on a full disk (a rolled-back WAL frame) and say 200.
    private let healthCache: HealthCheckCache

    init(healthCache: HealthCheckCache) {
        self.healthCache = healthCache
    }

    var lastFailure: VisitStoreError? { failure.withLock { $0 } }

    func failed(_ error: VisitStoreError) {
        failure.withLock { $0 = error }
        healthCache.record(.failure(HealthProblem(kind: .writesFailing, error: error)))
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
