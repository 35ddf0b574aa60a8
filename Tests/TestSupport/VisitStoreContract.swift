import Timekeeping
import VisitStore

/// The `VisitStore` contract, once, for every store's tests to run against their own store
/// (memory and SQLite in `VisitStoreTests`, DynamoDB on moto in `DynamoDBStoreTests`, and any
/// store to come). Each check throws a `Violation` saying what the store got wrong.
package enum VisitStoreContract {
    package struct Violation: Error, CustomStringConvertible {
        package let description: String
    }

    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(Violation) {
        if !condition { throw Violation(description: message()) }
    }

    /// A new store counts nothing.
    package static func startsEmpty(_ store: any VisitStore) async throws {
        let counts = try await store.counts()
        try require(counts.total == 0 && counts.regions.isEmpty, "a new store has counts \(counts)")
    }

    /// Each increment returns the counts including it, per region, and `counts()` agrees.
    package static func incrementReturnsTheCountsAfterIt(_ store: any VisitStore) async throws {
        let first = try await store.increment(region: "us-east-1")
        try require(first == VisitCounts(regions: ["us-east-1": 1]), "first increment returned \(first)")
        let second = try await store.increment(region: "us-east-1", deadline: .after(.seconds(10)))
        try require(second == VisitCounts(regions: ["us-east-1": 2]), "second increment returned \(second)")
        let after = try await store.increment(region: "us-west-2")
        try require(after == VisitCounts(regions: ["us-east-1": 2, "us-west-2": 1]) && after.total == 3, "third increment returned \(after)")
        let read = try await store.counts(deadline: .after(.seconds(10)))
        try require(read == after, "counts() gave \(read) after \(after)")
    }

    /// Counts given without waiting, when a store gives them, are what `counts()` gives.
    /// `holdsCounts`: the store must give them after its own increments (memory, SQLite).
    package static func countsWithoutWaitingAgreeWithCounts(_ store: any VisitStore, holdsCounts: Bool) async throws {
        if let early = store.countsWithoutWaiting() {
            let read = try await store.counts()
            try require(early == read, "without waiting \(early), counts() \(read)")
        }
        let after = try await store.increment(region: "us-east-1")
        _ = try await store.increment(region: "us-west-2")
        let now = try await store.counts()
        try require(now.total == after.total + 1, "two increments made \(now.total - after.total + 1)")
        let held = store.countsWithoutWaiting()
        if holdsCounts || held != nil { try require(held == now, "without waiting \(String(describing: held)), counts() \(now)") }
    }

    /// Reads and write probes count nothing.
    package static func readingDoesNotCount(_ store: any VisitStore) async throws {
        _ = try await store.increment(region: "local")
        for _ in 0..<3 { _ = try await store.counts() }
        try await store.probeWrite(region: "local", deadline: .after(.seconds(2)))
        try await store.probeWrite(region: "elsewhere", deadline: .after(.seconds(2)))
        let total = try await store.counts().total
        try require(total == 1, "one visit, then reads and probes, counted \(total)")
    }

    /// A write probe, in a region that has visits and in one that has none, counts nothing.
    package static func probeWriteCountsNothing(_ store: any VisitStore) async throws {
        _ = try await store.increment(region: "us-east-1")
        try await store.probeWrite(region: "us-east-1", deadline: .after(.seconds(2)))
        try await store.probeWrite(region: "eu-west-1", deadline: .after(.seconds(2)))
        let counts = try await store.counts()
        try require(counts.total == 1 && counts.regions["us-east-1"] == 1, "one visit and two probes counted \(counts)")
    }

    /// What `store`'s health check says when it fails, as an operator reads it in the log (and
    /// `/health` in its 503); "accepted" when it passes.
    package static func healthRefusal(_ store: any VisitStore) async -> String {
        do {
            try await store.checkHealth(deadline: .after(.seconds(3)))
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    /// A store that works passes its health check.
    package static func healthyStorePassesItsCheck(_ store: any VisitStore) async throws {
        try await store.checkHealth(deadline: .after(.seconds(2)))
    }

    /// A deadline already past is refused, not waited out, and counts nothing it did not say.
    package static func passedDeadlineCountsNothingUnsaid(_ store: any VisitStore) async throws {
        let before = try await store.counts().total
        let answered: Bool
        do {
            _ = try await store.increment(region: "local", deadline: .now())
            answered = true
        } catch {
            answered = false
        }
        let after = try await store.counts().total
        try require(after == before + (answered ? 1 : 0) || (!answered && after == before),
                    "an increment \(answered ? "answered" : "refused") moved the total from \(before) to \(after)")
    }

    /// `clients` concurrent callers × `each` increments add exactly that many, and every answer
    /// includes its own visit. `distinctTotals`: the store counts and reads in one atomic step
    /// (memory, SQLite), so each total is seen once; a store that reads after writing (DynamoDB's
    /// `UpdateItem` then `Query`) may show two callers the same total, never one below 1 or above
    /// the final count, and the highest is the final count.
    package static func concurrentIncrementsAreExact(_ store: any VisitStore, clients: Int, each: Int, distinctTotals: Bool) async throws {
        let seen = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var totals: [Int] = []
                    for _ in 0..<each { totals.append(try await store.increment(region: "local").total) }
                    return totals
                }
            }
            var all: [Int] = []
            for try await totals in group { all += totals }
            return all
        }
        let total = try await store.counts().total
        try require(total == clients * each, "\(clients) × \(each) increments counted \(total)")
        if distinctTotals {
            try require(Set(seen).count == clients * each, "answers repeated a total: \(clients * each - Set(seen).count) duplicates")
        } else {
            try require(seen.max() == total && seen.allSatisfy { $0 >= 1 && $0 <= total }, "answers outside 1...\(total): \(seen.filter { $0 < 1 || $0 > total })")
        }
    }
}
