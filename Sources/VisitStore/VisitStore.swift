package import Timekeeping

/// The storage port: the app counts visits through it and never knows whether SQLite, DynamoDB or
/// memory is underneath. Only the executable picks an adapter.
///
/// Counts are kept per region, and a region only ever writes its own counts, so that two regions
/// replicating one table never overwrite each other's increments (see `DESIGN.md`).
///
/// Every call that may wait takes its deadline (the request's: a Lambda invocation's end), so that
/// no store call outlives what it serves; `nil` leaves the store its own timeout (the dev server's
/// clients wait as long as they like). A store that waits on a network keeps each attempt and
/// retry before the deadline.
package protocol VisitStore: Sendable {
    /// Counts one visit in `region` and returns the counts including it. When this returns, the
    /// visit is durable: it is in every later `counts()`.
    func increment(region: String, deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts

    /// The current counts, without counting.
    func counts(deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts

    /// The current counts when the store holds them and can answer without waiting (counts in
    /// process memory, or the ones a store that owns its file has just committed); `nil` means
    /// "ask `counts()`". When not `nil`, it is what `counts()` would answer.
    func countsWithoutWaiting() -> VisitCounts?

    /// Checks that the store answers by `deadline`; throws when it does not.
    func checkHealth(deadline: MonotonicTime) async throws(VisitStoreError)

    /// Makes the write an increment of `region` makes, adding nothing, so that a health check can
    /// learn whether writes work again after one failed (a full disk, denied writes) without
    /// counting a visit. It may leave `region` in the counts with what it had, or 0.
    func probeWrite(region: String, deadline: MonotonicTime) async throws(VisitStoreError)
}

extension VisitStore {
    /// A store that must always wait for its counts (one across a network) says so.
    package func countsWithoutWaiting() -> VisitCounts? { nil }

    /// A store whose writes cannot fail apart from its reads checks its health.
    package func probeWrite(region: String, deadline: MonotonicTime) async throws(VisitStoreError) {
        try await checkHealth(deadline: deadline)
    }

    /// An increment with no deadline of the caller's: the store's own timeout.
    package func increment(region: String) async throws(VisitStoreError) -> VisitCounts {
        try await increment(region: region, deadline: nil)
    }

    /// The counts with no deadline of the caller's: the store's own timeout.
    package func counts() async throws(VisitStoreError) -> VisitCounts {
        try await counts(deadline: nil)
    }
}
