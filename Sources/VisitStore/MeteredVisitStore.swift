import Synchronization
package import Timekeeping

/// What a store did for one piece of work: the time it spent waiting on the store, the visits it
/// counted and the calls that failed. The Lambda front-end makes one per invocation and sets it as
/// `current` around the invocation's answer, so that invocations that run at once (Lambda Managed
/// Instances) each see their own.
package final class StoreMeter: Sendable {
    /// The meter of the work in progress; a `MeteredVisitStore` adds each call to it.
    @TaskLocal package static var current: StoreMeter?

    package struct Reading: Sendable, Equatable {
        package var time: Duration = .zero
        package var visitsCounted = 0
        package var errors = 0
        package init() {}
    }

    private let reading = Mutex(Reading())

    package init() {}

    /// The figures so far, which start again from zero.
    package func take() -> Reading {
        reading.withLock { current in
            defer { current = Reading() }
            return current
        }
    }

    func add(_ time: Duration, visits: Int, failed: Bool) {
        reading.withLock {
            $0.time += time
            $0.visitsCounted += visits
            if failed { $0.errors += 1 }
        }
    }
}

/// A store that times and counts every call to `base` in `StoreMeter.current`, and otherwise is
/// `base`: the executable puts it between the app and the adapter when metrics are on, so neither
/// knows. A call made with no current meter is not counted.
package struct MeteredVisitStore: VisitStore {
    package let base: any VisitStore

    package init(base: any VisitStore) {
        self.base = base
    }

    package func increment(region: String, deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts {
        try await measure(visits: 1) { () throws(VisitStoreError) in try await base.increment(region: region, deadline: deadline) }
    }

    package func counts(deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts {
        try await measure { () throws(VisitStoreError) in try await base.counts(deadline: deadline) }
    }

    package func countsWithoutWaiting() -> VisitCounts? {
        guard let meter = StoreMeter.current else { return base.countsWithoutWaiting() }
        let start = MonotonicTime.now()
        let counts = base.countsWithoutWaiting()
        if counts != nil { meter.add(MonotonicTime.now() - start, visits: 0, failed: false) }
        return counts
    }

    package func checkHealth(deadline: MonotonicTime) async throws(VisitStoreError) {
        try await measure { () throws(VisitStoreError) in try await base.checkHealth(deadline: deadline) }
    }

    package func probeWrite(region: String, deadline: MonotonicTime) async throws(VisitStoreError) {
        try await measure { () throws(VisitStoreError) in try await base.probeWrite(region: region, deadline: deadline) }
    }

    private func measure<T>(visits: Int = 0, _ call: () async throws(VisitStoreError) -> T) async throws(VisitStoreError) -> T {
        guard let meter = StoreMeter.current else { return try await call() }
        let start = MonotonicTime.now()
        do {
            let value = try await call()
            meter.add(MonotonicTime.now() - start, visits: visits, failed: false)
            return value
        } catch {
            meter.add(MonotonicTime.now() - start, visits: 0, failed: true)
            throw error
        }
    }
}
