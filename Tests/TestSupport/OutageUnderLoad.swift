import VisitStore

/// A server killed under load and started again, as the Redis and PostgreSQL store tests run it:
/// clients count visits without pause (`IncrementLoad`); after 50 answers the server is killed;
/// after the first failure the health check is asked and the server restarted; after 20 more
/// answers the load stops. What the test then asserts is its own.
package struct OutageUnderLoad {
    /// Whether the health check failed while the server was down.
    package let healthFailedDuringOutage: Bool
    package let answered: Int
    package let failed: Int
    /// Whether every client's answers only ever grew.
    package let monotonic: Bool
    /// The total once the store is healthy again.
    package let totalAfter: Int

    package static func run(_ store: any VisitStore, server: some TestServer) async throws -> OutageUnderLoad {
        let load = try IncrementLoad(store: store)
        await load.waitFor(50, .acknowledged)
        await server.stop()
        await load.waitFor(1, .failed)
        let healthFailed: Bool
        do {
            try await store.checkHealth(deadline: .after(.seconds(1)))
            healthFailed = false
        } catch {
            healthFailed = true
        }
        try await server.restart()
        await load.waitFor(20, .acknowledged) // recovery by itself: the same store, no restart of ours
        let (answered, failed, monotonic) = await load.stop()
        try await store.checkHealth(deadline: .after(.seconds(5)))
        return OutageUnderLoad(healthFailedDuringOutage: healthFailed, answered: answered, failed: failed, monotonic: monotonic,
                               totalAfter: try await store.counts().total)
    }
}
