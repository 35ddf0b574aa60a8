import Synchronization
import VisitStore

/// Visits counted without pause by `clients` loops on a thread of their own, for outage tests
/// that must act on what happened (the load is running, a call failed, calls work again) rather
/// than on the clock: each outcome is an event the test waits for.
package final class IncrementLoad: Sendable {
    package enum Event: Sendable, Equatable {
        case acknowledged
        case failed
    }

    private struct Tally {
        var acknowledged = 0
        var failed = 0
        var monotonic = true
        var stopped = false
    }

    private let tally = Mutex(Tally())
    private let continuation: AsyncStream<Event>.Continuation
    private let stream: AsyncStream<Event>
    private let executor: DedicatedExecutor
    private let loops: Mutex<[Task<Void, Never>]> = Mutex([])

    package init(store: any VisitStore, region: String = "us-east-1", clients: Int = 4) throws {
        (stream, continuation) = AsyncStream.makeStream(of: Event.self)
        executor = try DedicatedExecutor()
        let tasks = (0..<clients).map { _ in
            executor.start { [self] in
                var last = 0
                while !self.tally.withLock({ $0.stopped }) {
                    do {
                        let counts = try await store.increment(region: region)
                        self.tally.withLock { state in
                            state.acknowledged += 1
                            // Each answer counts at least what an earlier answer of this loop did.
                            if counts.total < last { state.monotonic = false }
                        }
                        last = max(last, counts.total)
                        self.continuation.yield(.acknowledged)
                    } catch {
                        self.tally.withLock { $0.failed += 1 }
                        self.continuation.yield(.failed)
                    }
                }
            }
        }
        loops.withLock { $0 = tasks }
    }

    /// Waits until `count` events of `kind` have come after this call.
    package func waitFor(_ count: Int, _ kind: Event) async {
        var seen = 0
        for await event in stream where event == kind {
            seen += 1
            if seen >= count { return }
        }
    }

    /// Stops the loops and waits for them: how many calls were answered, how many failed, and
    /// whether every loop's answers only ever grew.
    package func stop() async -> (acknowledged: Int, failed: Int, monotonic: Bool) {
        tally.withLock { $0.stopped = true }
        for task in loops.withLock({ $0 }) { await task.value }
        continuation.finish()
        executor.stop()
        return tally.withLock { ($0.acknowledged, $0.failed, $0.monotonic) }
    }
}
