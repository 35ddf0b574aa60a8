import Synchronization
public import Timekeeping

/// A store in process memory: for tests, and for `--store memory` when nothing should be written.
/// Counts are lost with the process.
public final class InMemoryVisitStore: VisitStore {
    private let state: Mutex<[String: Int]>

    public init(initial: VisitCounts = VisitCounts()) {
        state = Mutex(initial.regions)
    }

    public func increment(region: String, deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts {
        state.withLock { regions in
            regions[region, default: 0] += 1
            return VisitCounts(regions: regions)
        }
    }

    public func counts(deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts {
        state.withLock { VisitCounts(regions: $0) }
    }

    public func countsWithoutWaiting() -> VisitCounts? {
        state.withLock { VisitCounts(regions: $0) }
    }

    public func checkHealth(deadline: MonotonicTime) async throws(VisitStoreError) {}
}
