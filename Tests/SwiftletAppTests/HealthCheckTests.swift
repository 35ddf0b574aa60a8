import HTTPTypes
import SwiftletApp
import Testing
import VisitStore

@Suite("health checks")
struct HealthCheckTests {
    func app(_ store: any VisitStore, cache: Duration) throws -> AppHarness {
        let configuration = AppConfiguration(publicFolder: Repository.publicFolder, templatesFolder: Repository.templates,
                                             healthTimeout: .milliseconds(200), healthCacheDuration: cache)
        return AppHarness(responder: try SwiftletApp.makeResponder(store: store, configuration: configuration, logger: AppHarness.quietLogger))
    }

    @Test func oneCheckServesManyPollsThenTheStoreIsAskedAgain() async throws {
        let store = SwitchableVisitStore()
        let app = try app(store, cache: .seconds(2))
        for _ in 0..<20 { #expect(try await app.direct(.get, "/health").status == 200) }
        #expect(store.checks == 1)
        store.healthy = false
        // The loop ends as soon as the 2 s cache expires; 20 s of headroom is for a sanitizer run,
        // where other tests' blocking waits can hold the cooperative threads its sleeps wake on.
        let deadline = ContinuousClock.now + .seconds(20)
        var status = 200
        while status == 200 && ContinuousClock.now < deadline {
            status = try await app.direct(.get, "/health").status
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(status == 503)
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
