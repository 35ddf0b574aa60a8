import Glibc
import RedisStore
import Synchronization
import Testing
import TestSupport
import Timekeeping
import VisitStore

/// The Redis store against a real `redis-server` (Debian's), started by the suite on free loopback
/// ports and stopped by PID: the shared contract, exact counts under concurrency, TLS verified
/// for the CA and the name, authentication, and an outage with recovery.
@Suite("Redis store against redis-server", .serialized)
struct RedisVisitStoreTests {
    static let keys = Mutex(0)

    static func configuration(_ server: RedisServer, tls: Bool = false, password: String = RedisServer.password) -> RedisConfiguration {
        var configuration = RedisConfiguration(host: tls ? "localhost" : "127.0.0.1", port: tls ? server.tlsPort : server.port, tls: tls,
                                               user: RedisServer.user, password: password, caFile: tls ? server.caFile : nil)
        // A key of its own for each store: every check starts from nothing on the one server.
        configuration.key = "{swiftlet-test-\(keys.withLock { $0 += 1; return $0 })}:visits"
        return configuration
    }

    static func store(_ server: RedisServer, tls: Bool = false) -> RedisVisitStore {
        RedisVisitStore(client: RedisClient(configuration: configuration(server, tls: tls)))
    }

    @Test("the shared store contract, each check on a key of its own, over TCP and over TLS", arguments: [false, true])
    func contract(tls: Bool) async throws {
        let server = try await RedisServer.shared()
        try await VisitStoreContract.startsEmpty(Self.store(server, tls: tls))
        try await VisitStoreContract.incrementReturnsTheCountsAfterIt(Self.store(server, tls: tls))
        try await VisitStoreContract.countsWithoutWaitingAgreeWithCounts(Self.store(server, tls: tls), holdsCounts: false)
        try await VisitStoreContract.readingDoesNotCount(Self.store(server, tls: tls))
        try await VisitStoreContract.healthyStorePassesItsCheck(Self.store(server, tls: tls))
        try await VisitStoreContract.passedDeadlineCountsNothingUnsaid(Self.store(server, tls: tls))
    }

    @Test("8 clients × 250 increments add exactly 2,000")
    func concurrentIncrementsAreExact() async throws {
        try await VisitStoreContract.concurrentIncrementsAreExact(Self.store(try await RedisServer.shared()), clients: 8, each: 250, distinctTotals: true)
    }

    @Test("a probe write counts nothing")
    func probeWriteCountsNothing() async throws {
        try await VisitStoreContract.probeWriteCountsNothing(Self.store(try await RedisServer.shared()))
    }

    static func refusal(_ configuration: RedisConfiguration) async -> String {
        await VisitStoreContract.healthRefusal(RedisVisitStore(client: RedisClient(configuration: configuration)))
    }

    @Test("a wrong password, an untrusted CA and a wrong host name are each refused, saying which")
    func refusals() async throws {
        let server = try await RedisServer.shared()
        let wrongPassword = await Self.refusal(Self.configuration(server, password: "not-the-password"))
        #expect(wrongPassword.contains("WRONGPASS"), "\(wrongPassword)")
        #expect(!wrongPassword.contains("not-the-password"))
        var untrusted = Self.configuration(server, tls: true)
        untrusted.caFile = server.otherCAFile
        let ca = await Self.refusal(untrusted)
        #expect(ca.contains("certificate"), "\(ca)")
        var wrongName = Self.configuration(server, tls: true)
        wrongName.host = "127.0.0.1" // the certificate is for localhost
        let name = await Self.refusal(wrongName)
        #expect(name.contains("certificate"), "\(name)")
        for message in [wrongPassword, ca, name] { #expect(!message.contains("\n"), "\(message)") }
    }

    @Test("SWIFTLET_REDIS_URL: TLS, user, password, database and CA parsed; bad ones refused in one line without the password")
    func urls() throws {
        let parsed = try RedisConfiguration(url: "rediss://app%40x:p%3Ass@cache.example.com:6380/2?sslrootcert=/etc/ca.pem")
        #expect(parsed == RedisConfiguration(host: "cache.example.com", port: 6380, tls: true, user: "app@x", password: "p:ss", database: 2, caFile: "/etc/ca.pem"))
        #expect(try RedisConfiguration(url: "redis://localhost") == RedisConfiguration(host: "localhost"))
        #expect(try RedisConfiguration(url: "redis://:secret@[::1]:7000").password == "secret")
        #expect(try RedisConfiguration(url: "redis://[::1]:7000").host == "::1")
        for bad in ["http://h", "redis://", "redis://h:0", "redis://h:99999", "redis://h/16", "redis://user:sec%zz@h", "redis://h?x=1"] {
            #expect(throws: RedisConfiguration.InvalidURL.self, "\(bad)") { try RedisConfiguration(url: bad) }
        }
        do {
            _ = try RedisConfiguration(url: "redis://u:hunter2@h:bad")
        } catch {
            #expect(!"\(error)".contains("hunter2"))
        }
    }
}

/// Outages on a server of their own: killing the shared one would fail the other suites' calls.
@Suite("Redis outage and recovery", .serialized)
struct RedisOutageTests {
    @Test("killed under load: answers fail (never a made-up count); restarted: service comes back by itself, nothing acknowledged lost", .timeLimit(.minutes(1)))
    func killedMidLoad() async throws {
        let server = try await RedisServer.start()
        var configuration = RedisVisitStoreTests.configuration(server)
        configuration.callTimeout = .milliseconds(500)
        let store = RedisVisitStore(client: RedisClient(configuration: configuration))
        let outage = try await OutageUnderLoad.run(store, server: server)
        #expect(outage.healthFailedDuringOutage, "the health check passed with the server down")
        #expect(outage.monotonic)
        #expect(outage.failed > 0)
        // appendfsync always: every increment Redis answered is on disk. One in flight when it
        // died may have been applied without an answer, so the total may exceed the count of
        // acknowledged ones by those, never fall short.
        #expect(outage.totalAfter >= outage.answered && outage.totalAfter <= outage.answered + 4,
                "total \(outage.totalAfter), acknowledged \(outage.answered)")
    }
}
