import Synchronization

/// What a store did since it was last asked: the time callers spent waiting on it, the visits it
/// counted and the calls that failed. The Lambda front-end reads it once per invocation for the
/// invocation's metrics (a process serves one invocation at a time, so the figures are that
/// invocation's).
public final class StoreMeter: Sendable {
    public struct Reading: Sendable, Equatable {
        public var time: Duration = .zero
        public var visitsCounted = 0
        public var errors = 0
        public init() {}
    }

    private let reading = Mutex(Reading())

    public init() {}

    /// The figures so far, which start again from zero.
    public func take() -> Reading {
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

/// A store that times and counts every call to `base` in `meter`, and otherwise is `base`: the
/// executable puts it between the app and the adapter when metrics are on, so neither knows.
public struct MeteredVisitStore: VisitStore {
    public let base: any VisitStore
    public let meter: StoreMeter

    public init(base: any VisitStore, meter: StoreMeter) {
        self.base = base
        self.meter = meter
    }

    public func increment(region: String) async throws(VisitStoreError) -> VisitCounts {
        try await measure(visits: 1) { () throws(VisitStoreError) in try await base.increment(region: region) }
    }

    public func counts() async throws(VisitStoreError) -> VisitCounts {
        try await measure { () throws(VisitStoreError) in try await base.counts() }
    }

    public func countsWithoutWaiting() -> VisitCounts? {
        let start = ContinuousClock.now
        let counts = base.countsWithoutWaiting()
        if counts != nil { meter.add(.now - start, visits: 0, failed: false) }
        return counts
    }

    public func checkHealth(timeout: Duration) async throws(VisitStoreError) {
        try await measure { () throws(VisitStoreError) in try await base.checkHealth(timeout: timeout) }
    }

    public func probeWrite(region: String, timeout: Duration) async throws(VisitStoreError) {
        try await measure { () throws(VisitStoreError) in try await base.probeWrite(region: region, timeout: timeout) }
    }

    private func measure<T>(visits: Int = 0, _ call: () async throws(VisitStoreError) -> T) async throws(VisitStoreError) -> T {
        let start = ContinuousClock.now
        do {
            let value = try await call()
            meter.add(.now - start, visits: visits, failed: false)
            return value
        } catch {
            meter.add(.now - start, visits: 0, failed: true)
            throw error
        }
    }
}
