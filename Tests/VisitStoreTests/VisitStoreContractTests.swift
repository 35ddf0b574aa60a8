import TestSupport
import SQLiteStore
import Testing
import VisitStore

/// One contract, run over every `VisitStore` that needs no network (DynamoDB runs it in its own suite).
@Suite("visit store contract")
struct VisitStoreContractTests {
    enum Kind: String, CaseIterable, Sendable { case memory, sqlite }

    /// A fresh store of `kind`, with the folder that holds its file (kept alive with it).
    static func make(_ kind: Kind) throws -> (any VisitStore, TemporaryFolder) {
        let folder = TemporaryFolder()
        switch kind {
        case .memory: return (InMemoryVisitStore(), folder)
        case .sqlite: return (try SQLiteVisitStore(path: folder.file("data/visits.sqlite")), folder)
        }
    }

    @Test(arguments: Kind.allCases)
    func startsEmpty(_ kind: Kind) async throws {
        let (store, _) = try Self.make(kind)
        let counts = try await store.counts()
        #expect(counts.total == 0)
        #expect(counts.regions.isEmpty)
    }

    @Test(arguments: Kind.allCases)
    func incrementReturnsTheCountsAfterIt(_ kind: Kind) async throws {
        let (store, _) = try Self.make(kind)
        #expect(try await store.increment(region: "us-east-1") == VisitCounts(regions: ["us-east-1": 1]))
        #expect(try await store.increment(region: "us-east-1") == VisitCounts(regions: ["us-east-1": 2]))
        let after = try await store.increment(region: "us-west-2")
        #expect(after == VisitCounts(regions: ["us-east-1": 2, "us-west-2": 1]))
        #expect(after.total == 3)
        #expect(try await store.counts() == after)
    }

    /// Counts given without waiting are the counts `counts()` gives, before and after increments.
    @Test(arguments: Kind.allCases)
    func countsWithoutWaitingAgreeWithCounts(_ kind: Kind) async throws {
        let (store, _) = try Self.make(kind)
        if let early = store.countsWithoutWaiting() { #expect(early == (try await store.counts())) }
        let after = try await store.increment(region: "us-east-1")
        _ = try await store.increment(region: "us-west-2")
        let now = try await store.counts()
        #expect(now.total == after.total + 1)
        // Both stores here hold their counts (SQLite: the writer's last commit).
        #expect(store.countsWithoutWaiting() == now)
    }

    @Test(arguments: Kind.allCases)
    func readingDoesNotCount(_ kind: Kind) async throws {
        let (store, _) = try Self.make(kind)
        _ = try await store.increment(region: "local")
        for _ in 0..<3 { _ = try await store.counts() }
        // A health check's write probe writes what an increment writes, and counts nothing.
        try await store.probeWrite(region: "local", deadline: .after(.seconds(1)))
        try await store.probeWrite(region: "elsewhere", deadline: .after(.seconds(1)))
        #expect(try await store.counts().total == 1)
    }

    @Test(arguments: Kind.allCases)
    func healthyStorePassesItsCheck(_ kind: Kind) async throws {
        let (store, _) = try Self.make(kind)
        try await store.checkHealth(deadline: .after(.seconds(1)))
    }

    /// 8 clients × 500 increments add exactly 4,000, and every answer is a distinct count.
    @Test(arguments: Kind.allCases)
    func concurrentIncrementsAreExact(_ kind: Kind) async throws {
        let (store, _) = try Self.make(kind)
        let seen = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var totals: [Int] = []
                    for _ in 0..<500 { totals.append(try await store.increment(region: "local").total) }
                    return totals
                }
            }
            var all: [Int] = []
            for try await totals in group { all += totals }
            return all
        }
        #expect(try await store.counts().total == 4_000)
        #expect(Set(seen).count == 4_000)
    }
}
