import Synchronization
package import Timekeeping

/// A store in process memory: for tests, and for `--store memory` when nothing should be written.
/// Counts are lost with the process.
package final class InMemoryVisitStore: VisitStore {
    private let state: Mutex<[String: Int]>

    package init(initial: VisitCounts = VisitCounts()) {
        state = Mutex(initial.regions)
    }

    package func increment(region: String, deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts {
        state.withLock { regions in
            regions[region, default: 0] += 1
            return VisitCounts(regions: regions)
        }
    }

    package func counts(deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts {
        state.withLock { VisitCounts(regions: $0) }
    }

    package func countsWithoutWaiting() -> VisitCounts? {
        state.withLock { VisitCounts(regions: $0) }
    }

    package func checkHealth(deadline: MonotonicTime) async throws(VisitStoreError) {}
}
