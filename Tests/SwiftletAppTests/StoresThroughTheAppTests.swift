import PostgresStore
import RedisStore
import Sockets
import SQLiteStore
import TestSupport
import Testing
import VisitStore

/// The route contract with each store under the app, not only the in-memory one: SQLite on a
/// file, Redis on a real `redis-server` and PostgreSQL on a real server, both over TLS. And what
/// visitors and CloudFront see when a store goes away and comes back, or is still waking up.
@Suite("stores through the app", .serialized)
struct StoresThroughTheAppTests {

    static func postgresStore(_ server: PostgresServer, callTimeout: Duration = .seconds(2)) async throws -> PostgresVisitStore {
        var configuration = PostgresConfiguration(host: "localhost", port: server.port, user: PostgresServer.user, password: PostgresServer.password,
                                                  database: "postgres", sslMode: .verifyFull, caFile: server.caFile)
        configuration.table = "app_\(UInt32.random(in: 0...UInt32.max))"
        configuration.callTimeout = callTimeout
        configuration.connectTimeout = .milliseconds(300)
        let client = PostgresClient(configuration: configuration)
        try await client.run(PostgresVisitStore.schema(table: configuration.table), deadline: .after(.seconds(10)))
        return PostgresVisitStore(client: client)
    }

    static func redisStore(_ server: RedisServer, callTimeout: Duration = .seconds(2)) -> RedisVisitStore {
        var configuration = RedisConfiguration(host: "localhost", port: server.tlsPort, tls: true, user: RedisServer.user,
                                               password: RedisServer.password, caFile: server.caFile)
        configuration.key = "{app-\(UInt64.random(in: 0...UInt64.max))}:visits"
        configuration.callTimeout = callTimeout
        return RedisVisitStore(client: RedisClient(configuration: configuration))
    }

    @Test("the route contract on SQLite, Redis and PostgreSQL", arguments: ["sqlite", "redis", "postgres"])
    func routeContract(store kind: String) async throws {
        let folder = TemporaryFolder()
        let store: any VisitStore = switch kind {
        case "sqlite": try SQLiteVisitStore(path: folder.file("visits.sqlite"))
        case "redis": Self.redisStore(try await RedisServer.shared())
        default: try await Self.postgresStore(try await PostgresServer.shared())
        }
        let app = try AppHarness(store: store)
        for test in RouteContractTests.cases {
            let response = try await app.direct(test.method, test.path, headers: test.headers)
            RouteContractTests.check(response, test, bodyExpected: test.method != .head)
        }
    }

    @Test("Redis killed: /health, GET / and POST /api/visits answer 503 in bounded time; restarted: all answer again, nothing acknowledged lost")
    func redisOutage() async throws {
        let server = try await RedisServer.start()
        try await Self.outage(of: server, store: Self.redisStore(server, callTimeout: .milliseconds(400)))
    }

    @Test("PostgreSQL killed: /health, GET / and POST /api/visits answer 503 in bounded time; restarted: all answer again, nothing acknowledged lost")
    func postgresOutage() async throws {
        let server = try await PostgresServer.start()
        try await Self.outage(of: server, store: try await Self.postgresStore(server, callTimeout: .milliseconds(600)))
    }

    /// Three visits; `server` killed: `/health`, a visit and the home page answer 503 within 5 s;
    /// `server` back: `/health` 200, and the next visit is the fourth.
    static func outage(of server: some TestServer, store: any VisitStore) async throws {
        let app = try AppHarness(store: store, healthCacheDuration: .zero, healthTimeout: .seconds(5))
        for _ in 0..<3 { #expect(try await app.direct(.post, "/api/visits").status == 200) }
        await server.stop()
        let (elapsed, answers) = try await app.timedOnOwnThread([(.get, "/health"), (.post, "/api/visits"), (.get, "/")])
        #expect(answers.map(\.status) == [503, 503, 503])
        #expect(answers[0].text.contains("unavailable") || answers[0].text.contains("cannot be written"), "\(answers[0].text)")
        #expect(elapsed < .seconds(5))
        try await server.restart()
        #expect(try await app.direct(.get, "/health").status == 200)
        let post = try await app.direct(.post, "/api/visits")
        #expect(post.status == 200)
        #expect(post.text.contains(#""visits":4"#), "\(post.text)")
    }

    /// A paused Aurora Serverless v2 takes the connection and answers nothing until it has
    /// resumed: here, a socket that listens and never accepts.
    @Test("a database that takes connections and does not answer yet: /health is 503 with the reason \"resuming\"")
    func resuming() async throws {
        let silent = try Socket.listening(on: .ipv4(host: "127.0.0.1", port: 0))
        defer { silent.close() }
        var configuration = PostgresConfiguration(host: "127.0.0.1", port: try silent.localAddress().port, user: "u", password: "p",
                                                  database: "d", sslMode: .require)
        configuration.connectTimeout = .milliseconds(200)
        let app = try AppHarness(store: PostgresVisitStore(client: PostgresClient(configuration: configuration)), healthCacheDuration: .zero)
        let health = try await app.direct(.get, "/health")
        #expect(health.status == 503)
        #expect(health.text.contains(#""reason":"resuming""#), "\(health.text)")
    }
}
