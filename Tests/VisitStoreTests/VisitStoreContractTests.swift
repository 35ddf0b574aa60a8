import TestSupport
import SQLiteStore
import Testing
import VisitStore

/// The shared `VisitStoreContract`, run over every store that needs no network (DynamoDB runs it
/// on moto in its own suite).
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
        try await VisitStoreContract.startsEmpty(store)
    }

    @Test(arguments: Kind.allCases)
    func incrementReturnsTheCountsAfterIt(_ kind: Kind) async throws {
        let (store, _) = try Self.make(kind)
        try await VisitStoreContract.incrementReturnsTheCountsAfterIt(store)
    }

    /// Both stores here hold their counts (SQLite: the writer's last commit).
    @Test(arguments: Kind.allCases)
    func countsWithoutWaitingAgreeWithCounts(_ kind: Kind) async throws {
        let (store, _) = try Self.make(kind)
        try await VisitStoreContract.countsWithoutWaitingAgreeWithCounts(store, holdsCounts: true)
    }

    @Test(arguments: Kind.allCases)
    func readingDoesNotCount(_ kind: Kind) async throws {
        let (store, _) = try Self.make(kind)
        try await VisitStoreContract.readingDoesNotCount(store)
    }

    @Test(arguments: Kind.allCases)
    func probeWriteCountsNothing(_ kind: Kind) async throws {
        let (store, _) = try Self.make(kind)
        try await VisitStoreContract.probeWriteCountsNothing(store)
    }

    @Test(arguments: Kind.allCases)
    func healthyStorePassesItsCheck(_ kind: Kind) async throws {
        let (store, _) = try Self.make(kind)
        try await VisitStoreContract.healthyStorePassesItsCheck(store)
    }

    @Test(arguments: Kind.allCases)
    func passedDeadlineCountsNothingUnsaid(_ kind: Kind) async throws {
        let (store, _) = try Self.make(kind)
        try await VisitStoreContract.passedDeadlineCountsNothingUnsaid(store)
    }

    /// 8 clients × 500 increments add exactly 4,000, and every answer is a distinct count.
    @Test(arguments: Kind.allCases)
    func concurrentIncrementsAreExact(_ kind: Kind) async throws {
        let (store, _) = try Self.make(kind)
        try await VisitStoreContract.concurrentIncrementsAreExact(store, clients: 8, each: 500, distinctTotals: true)
    }
}
