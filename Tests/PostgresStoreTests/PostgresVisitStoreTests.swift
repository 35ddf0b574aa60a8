import Glibc
@testable import PostgresStore
import Synchronization
import Testing
import TestSupport
import Timekeeping
import VisitStore

/// The PostgreSQL store against a real PostgreSQL (Debian's), started by the suite with `initdb`
/// on a free loopback port, SCRAM-SHA-256 for every connection and TLS with a CA the test made,
/// and stopped by PID.
@Suite("PostgreSQL store against a real server", .serialized)
struct PostgresVisitStoreTests {
    static let tables = Mutex(0)

    static func configuration(_ server: PostgresServer, mode: PostgresConfiguration.SSLMode = .verifyFull,
                              password: String = PostgresServer.password) -> PostgresConfiguration {
        var configuration = PostgresConfiguration(host: mode == .verifyFull ? "localhost" : "127.0.0.1", port: server.port, user: PostgresServer.user,
                                                  password: password, database: "postgres", sslMode: mode, caFile: server.caFile)
        configuration.table = "visits_\(tables.withLock { $0 += 1; return $0 })"
        return configuration
    }

    /// A store on a table of its own, made as `create-table` makes it.
    static func store(_ server: PostgresServer, mode: PostgresConfiguration.SSLMode = .verifyFull) async throws -> PostgresVisitStore {
        let client = PostgresClient(configuration: configuration(server, mode: mode))
        try await client.run(PostgresVisitStore.schema(table: client.configuration.table), deadline: .after(.seconds(10)))
        return PostgresVisitStore(client: client)
    }

    @Test("the shared store contract, each check on a table of its own, over verify-full TLS, require and plain TCP",
          arguments: [PostgresConfiguration.SSLMode.verifyFull, .require, .disable])
    func contract(mode: PostgresConfiguration.SSLMode) async throws {
        let server = try await PostgresServer.shared()
        try await VisitStoreContract.startsEmpty(try await Self.store(server, mode: mode))
        try await VisitStoreContract.incrementReturnsTheCountsAfterIt(try await Self.store(server, mode: mode))
        try await VisitStoreContract.countsWithoutWaitingAgreeWithCounts(try await Self.store(server, mode: mode), holdsCounts: false)
        try await VisitStoreContract.readingDoesNotCount(try await Self.store(server, mode: mode))
        try await VisitStoreContract.healthyStorePassesItsCheck(try await Self.store(server, mode: mode))
        try await VisitStoreContract.passedDeadlineCountsNothingUnsaid(try await Self.store(server, mode: mode))
    }

    /// Over four shards, two increments on different rows may each answer the same total (each
    /// reads the other's row as it was when its statement began), as on DynamoDB; on one row,
    /// the row lock orders them, and every total is answered once.
    @Test("8 clients × 250 increments add exactly 2,000; on one shard, every answer's total is distinct", arguments: [4, 1])
    func concurrentIncrementsAreExact(shards: Int) async throws {
        let store = PostgresVisitStore(client: try await Self.store(try await PostgresServer.shared()).client, shards: shards)
        try await VisitStoreContract.concurrentIncrementsAreExact(store, clients: 8, each: 250, distinctTotals: shards == 1)
    }

    @Test("a probe write counts nothing")
    func probeWriteCountsNothing() async throws {
        try await VisitStoreContract.probeWriteCountsNothing(try await Self.store(try await PostgresServer.shared()))
    }

    static func refusal(_ configuration: PostgresConfiguration) async -> String {
        await VisitStoreContract.healthRefusal(PostgresVisitStore(client: PostgresClient(configuration: configuration)))
    }

    @Test("a wrong password, an untrusted CA, a wrong host name and a missing table are each refused, saying which")
    func refusals() async throws {
        let server = try await PostgresServer.shared()
        let wrongPassword = await Self.refusal(Self.configuration(server, password: "not-the-password"))
        #expect(wrongPassword.contains("28P01"), "\(wrongPassword)")
        #expect(!wrongPassword.contains("not-the-password"))
        var untrusted = Self.configuration(server)
        untrusted.caFile = server.otherCAFile
        let ca = await Self.refusal(untrusted)
        #expect(ca.contains("certificate"), "\(ca)")
        var wrongName = Self.configuration(server)
        wrongName.host = "127.0.0.1" // the certificate is for localhost
        let name = await Self.refusal(wrongName)
        #expect(name.contains("certificate"), "\(name)")
        // require encrypts without checking: the same untrusted CA is let through, as libpq does.
        var unchecked = Self.configuration(server, mode: .require)
        unchecked.caFile = server.otherCAFile
        #expect(await Self.refusal(unchecked) == "accepted")
        let noTable = PostgresVisitStore(client: PostgresClient(configuration: Self.configuration(server)))
        do {
            _ = try await noTable.increment(region: "us-east-1")
            Issue.record("counted into a table that does not exist")
        } catch {
            #expect("\(error)".contains("42P01"), "\(error)")
        }
        for message in [wrongPassword, ca, name] { #expect(!message.contains("\n"), "\(message)") }
    }

    @Test("SCRAM-SHA-256: RFC 7677's example exchange, byte for byte, and a server signature that does not verify is refused")
    func scramVector() throws {
        var client = SCRAMClient(password: "pencil", user: "user", clientNonce: "rOprNGfwEbeRWgbNEkqO")
        #expect(String(decoding: client.firstMessage(), as: UTF8.self) == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        let serverFirst = Array("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096".utf8)
        let final = try client.finalMessage(serverFirst: serverFirst)
        #expect(String(decoding: final, as: UTF8.self)
            == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        try client.verify(serverFinal: Array("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8))
        #expect(throws: PostgresError.self) { try client.verify(serverFinal: Array("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8)) }
        var other = SCRAMClient(password: "pencil", clientNonce: "abc")
        _ = other.firstMessage()
        #expect(throws: PostgresError.self) { _ = try other.finalMessage(serverFirst: Array("r=xyz,s=AAAA,i=4096".utf8)) }
    }

    @Test("SWIFTLET_POSTGRES_URL: libpq's names parsed; verify-full by default except for loopback on the dev server; bad ones refused in one line without the password")
    func urls() throws {
        let parsed = try PostgresConfiguration(url: "postgres://app%40x:p%3Ass@db.example.com:6432/visits%20db?sslmode=require&sslrootcert=/etc/ca.pem", lambda: false)
        #expect(parsed == PostgresConfiguration(host: "db.example.com", port: 6432, user: "app@x", password: "p:ss", database: "visits db",
                                                sslMode: .require, caFile: "/etc/ca.pem"))
        #expect(try PostgresConfiguration(url: "postgresql://u@db.example.com/d", lambda: false).sslMode == .verifyFull)
        #expect(try PostgresConfiguration(url: "postgres://u@localhost/d", lambda: false).sslMode == .disable)
        #expect(try PostgresConfiguration(url: "postgres://u@localhost/d", lambda: true).sslMode == .verifyFull)
        #expect(try PostgresConfiguration(url: "postgres://u@[::1]:5433/d", lambda: false).port == 5433)
        for bad in ["mysql://u@h/d", "postgres://h/d", "postgres://u@h", "postgres://u@h/", "postgres://u@h:0/d", "postgres://u@h/d?sslmode=prefer",
                    "postgres://u@h/d?x=1", "postgres://u:p%zz@h/d"] {
            #expect(throws: PostgresConfiguration.InvalidURL.self, "\(bad)") { try PostgresConfiguration(url: bad, lambda: false) }
        }
        do {
            _ = try PostgresConfiguration(url: "postgres://u:hunter2@h:bad/d", lambda: false)
        } catch {
            #expect(!"\(error)".contains("hunter2"))
        }
    }
}

/// An outage on a server of its own.
@Suite("PostgreSQL outage and recovery", .serialized)
struct PostgresOutageTests {
    @Test("killed under load: answers fail (never a made-up count); restarted: service comes back by itself, nothing acknowledged lost", .timeLimit(.minutes(1)))
    func killedMidLoad() async throws {
        let server = try await PostgresServer.start()
        var configuration = PostgresVisitStoreTests.configuration(server)
        configuration.callTimeout = .milliseconds(800)
        configuration.connectTimeout = .milliseconds(300)
        let client = PostgresClient(configuration: configuration)
        try await client.run(PostgresVisitStore.schema(table: configuration.table), deadline: .after(.seconds(10)))
        let store = PostgresVisitStore(client: client)
        let outage = try await OutageUnderLoad.run(store, server: server)
        #expect(outage.healthFailedDuringOutage, "the health check passed with the server down")
        #expect(outage.monotonic)
        #expect(outage.failed > 0)
        // fsync on: every increment PostgreSQL answered was committed to disk; one in flight when
        // it died may have been committed without an answer.
        #expect(outage.totalAfter >= outage.answered && outage.totalAfter <= outage.answered + 4,
                "total \(outage.totalAfter), acknowledged \(outage.answered)")
    }
}
