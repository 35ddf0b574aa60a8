import Synchronization
import Timekeeping
import VisitStore

/// A store that is down: every call fails, as a SQLite file on a dead disk or a throttled table would.
struct FailingVisitStore: VisitStore {
    func increment(region: String, deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts { throw .unavailable("disk I/O error") }
    func counts(deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts { throw .unavailable("disk I/O error") }
    func checkHealth(deadline: MonotonicTime) async throws(VisitStoreError) { throw .timedOut(deadline.remaining) }
}

/// A store whose health can be switched off mid-test, counting how often it is checked.
final class SwitchableVisitStore: VisitStore, @unchecked Sendable {
    private let state = Mutex((healthy: true, checks: 0))
    var healthy: Bool {
        get { state.withLock { $0.healthy } }
        set { state.withLock { $0.healthy = newValue } }
    }
    var checks: Int { state.withLock { $0.checks } }

    func increment(region: String, deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts { VisitCounts(regions: [region: 1]) }
    func counts(deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts { VisitCounts() }
    func checkHealth(deadline: MonotonicTime) async throws(VisitStoreError) {
        let healthy = state.withLock { state in
            state.checks += 1
            return state.healthy
        }
        if !healthy { throw .unavailable("switched off") }
    }
}
