import RedisStore
import SQLiteStore
import TestSupport
import Testing
import VisitStore

/// The route contract with each store under the app, not only the in-memory one: SQLite on a
/// file, Redis on a real `redis-server` over TLS. And what visitors and CloudFront see when Redis
/// goes away and comes back.
@Suite("stores through the app", .serialized)
struct StoresThroughTheAppTests {
    static let redis = Result { try RedisServer() }

    static func redisStore(_ server: RedisServer, callTimeout: Duration = .seconds(2)) -> RedisVisitStore {
        var configuration = RedisConfiguration(host: "localhost", port: server.tlsPort, tls: true, user: RedisServer.user,
                                               password: RedisServer.password, caFile: server.caFile)
        configuration.key = "{app-\(UInt64.random(in: 0...UInt64.max))}:visits"
        configuration.callTimeout = callTimeout
        return RedisVisitStore(client: RedisClient(configuration: configuration))
    }

    @Test("the route contract on SQLite and on Redis", arguments: ["sqlite", "redis"])
    func routeContract(store kind: String) async throws {
        let folder = TemporaryFolder()
        let store: any VisitStore = kind == "sqlite" ? try SQLiteVisitStore(path: folder.file("visits.sqlite")) : Self.redisStore(try Self.redis.get())
        let app = try AppHarness(store: store)
        for test in RouteContractTests.cases {
            let response = try await app.direct(test.method, test.path, headers: test.headers)
            RouteContractTests.check(response, test, bodyExpected: test.method != .head)
        }
    }

    @Test("Redis killed: /health, GET / and POST /api/visits answer 503 in bounded time; restarted: all answer again, nothing acknowledged lost")
    func redisOutage() async throws {
        let server = try RedisServer()
        let app = try AppHarness(store: Self.redisStore(server, callTimeout: .milliseconds(400)), healthCacheDuration: .zero)
        for _ in 0..<3 { #expect(try await app.direct(.post, "/api/visits").status == 200) }
        server.stop()
        let executor = try DedicatedExecutor()
        defer { executor.stop() }
        let timed = await executor.start { () -> Result<(Duration, [Observed]), any Error> in
            let started = ContinuousClock.now
            do {
                let answers = [try await app.direct(.get, "/health"), try await app.direct(.post, "/api/visits"), try await app.direct(.get, "/")]
                return .success((ContinuousClock.now - started, answers))
            } catch {
                return .failure(error)
            }
        }.value
        let (elapsed, answers) = try timed.get()
        #expect(answers.map(\.status) == [503, 503, 503])
        #expect(answers[0].text.contains("unavailable") || answers[0].text.contains("cannot be written"), "\(answers[0].text)")
        #expect(elapsed < .seconds(5))
        try server.restart()
        #expect(try await app.direct(.get, "/health").status == 200)
        let post = try await app.direct(.post, "/api/visits")
        #expect(post.status == 200)
        #expect(post.text.contains(#""visits":4"#), "\(post.text)")
    }
}
