import HTTPTypes
import Synchronization
import Timekeeping
import SwiftletApp
import Testing
import VisitStore

@Suite("health checks")
struct HealthCheckTests {
    /// A clock that moves only when told.
    final class ManualClock: Sendable {
        private let time = Mutex(MonotonicTime(nanoseconds: 1_000_000_000))
        var now: MonotonicTime { time.withLock { $0 } }
        func advance(by duration: Duration) { time.withLock { $0 = $0.advanced(by: duration) } }
    }

    func app(_ store: any VisitStore, cache: Duration, clock: ManualClock = ManualClock()) throws -> AppHarness {
        var configuration = AppConfiguration(publicFolder: Repository.publicFolder, templatesFolder: Repository.templates,
                                             healthTimeout: .milliseconds(200), healthCacheDuration: cache)
        configuration.clock = { clock.now }
        return AppHarness(responder: try SwiftletApp.makeResponder(store: store, configuration: configuration, logger: AppHarness.quietLogger))
    }

    @Test func oneCheckServesManyPollsThenTheStoreIsAskedAgain() async throws {
        let store = SwitchableVisitStore()
        let clock = ManualClock()
        let app = try app(store, cache: .seconds(2), clock: clock)
        for _ in 0..<20 { #expect(try await app.direct(.get, "/health").status == 200) }
        #expect(store.checks == 1)
        store.healthy = false
        clock.advance(by: .milliseconds(1999))
        #expect(try await app.direct(.get, "/health").status == 200, "still the cached answer")
        #expect(store.checks == 1)
        clock.advance(by: .milliseconds(1))
        #expect(try await app.direct(.get, "/health").status == 503, "2 s on, the store is asked again")
        #expect(store.checks == 2)
    }

    @Test func withoutCachingEveryPollChecks() async throws {
        let store = SwitchableVisitStore()
        let app = try app(store, cache: .zero)
        for _ in 0..<5 { _ = try await app.direct(.get, "/health") }
        #expect(store.checks == 5)
        store.healthy = false
        #expect(try await app.direct(.get, "/health").status == 503)
    }
}
