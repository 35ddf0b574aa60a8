import VisitStore

/// A store that is down: every call fails, as a SQLite file on a dead disk or a throttled table would.
struct FailingVisitStore: VisitStore {
    func increment(region: String) async throws(VisitStoreError) -> VisitCounts { throw .unavailable("disk I/O error") }
    func counts() async throws(VisitStoreError) -> VisitCounts { throw .unavailable("disk I/O error") }
    func checkHealth(timeout: Duration) async throws(VisitStoreError) { throw .timedOut(timeout) }
}
