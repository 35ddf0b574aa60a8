import AWSSigning
import DynamoDBStore
import HTTPClient
import HTTPTypes
import JSON
import Sockets
import Synchronization
import Testing
import TestSupport
import VisitStore
import Timekeeping

/// The DynamoDB store against moto's DynamoDB-compatible server on 127.0.0.1 (started by the test
/// harness, served one request at a time), each test with a table of its own.
@Suite("DynamoDB store against moto")
struct DynamoDBVisitStoreTests {
    static let credentials = AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "test-secret")

    static func client(port: UInt16, region: String = "us-east-1", credentials: AWSCredentials = credentials,
                       callTimeout: Duration = .seconds(3), retry: RetryPolicy = RetryPolicy()) -> DynamoDBClient {
        DynamoDBClient(configuration: .init(endpoint: DynamoDBEndpoint(secure: false, host: "127.0.0.1", port: port), region: region,
                                            credentials: credentials, callTimeout: callTimeout, retry: retry))
    }

    /// A store on a new table in moto.
    static func store(_ moto: MotoServer, region: String = "us-east-1", shards: Int = 4, pageLimit: Int? = nil,
                      credentials: AWSCredentials = credentials) async throws -> DynamoDBVisitStore {
        let table = "visits-\(UInt32.random(in: 0...UInt32.max))"
        let client = client(port: moto.port, region: region, credentials: credentials)
        try await client.createVisitsTable(table, deadline: .after(.seconds(20)))
        return DynamoDBVisitStore(client: client, table: table, shards: shards, pageLimit: pageLimit)
    }

    @Test("the shared store contract, each check on a table of its own")
    func contract() async throws {
        let moto = try await MotoServer.shared()
        try await VisitStoreContract.startsEmpty(try await Self.store(moto))
        try await VisitStoreContract.incrementReturnsTheCountsAfterIt(try await Self.store(moto))
        try await VisitStoreContract.countsWithoutWaitingAgreeWithCounts(try await Self.store(moto), holdsCounts: false)
        try await VisitStoreContract.readingDoesNotCount(try await Self.store(moto))
        try await VisitStoreContract.healthyStorePassesItsCheck(try await Self.store(moto))
        try await VisitStoreContract.passedDeadlineCountsNothingUnsaid(try await Self.store(moto))
        try await VisitStoreContract.probeWriteCountsNothing(try await Self.store(moto))
        // A store across a network holds no counts of its own.
        #expect(try await Self.store(moto).countsWithoutWaiting() == nil)
    }

    @Test("8 clients × 40 increments add exactly 320, every answer includes its own visit")
    func concurrentIncrementsAreExact() async throws {
        let store = try await Self.store(try await MotoServer.shared())
        try await VisitStoreContract.concurrentIncrementsAreExact(store, clients: 8, each: 40, distinctTotals: false)
    }

    @Test("counts are summed over every page of a Query")
    func pagination() async throws {
        let store = try await Self.store(try await MotoServer.shared(), shards: 8, pageLimit: 2)
        for _ in 0..<40 { _ = try await store.increment(region: "us-east-1") }
        for _ in 0..<10 { _ = try await store.increment(region: "eu-west-1") }
        #expect(try await store.counts() == VisitCounts(regions: ["us-east-1": 40, "eu-west-1": 10]))
    }

    @Test("with moto checking signatures, every call of the store is accepted; a wrong secret is refused and health fails")
    func signatures() async throws {
        let moto = try await MotoServer.shared(withAuth: true)
        let key = try #require(moto.accessKey)
        let good = AWSCredentials(accessKeyID: key.id, secretAccessKey: key.secret)
        let store = try await Self.store(moto, credentials: good)
        #expect(try await store.increment(region: "us-east-1").total == 1)
        try await store.checkHealth(deadline: .after(.seconds(2)))
        let wrong = DynamoDBVisitStore(client: Self.client(port: moto.port, credentials: AWSCredentials(accessKeyID: key.id, secretAccessKey: "not-the-secret")),
                                       table: store.table)
        do {
            _ = try await wrong.increment(region: "us-east-1")
            Issue.record("a wrong secret was accepted")
        } catch {
            #expect("\(error)".contains("Signature"), "\(error)")
            #expect(!"\(error)".contains("not-the-secret"))
        }
        await #expect(throws: VisitStoreError.self) { try await wrong.checkHealth(deadline: .after(.seconds(2))) }
        #expect(try await store.counts().total == 1)
    }

    @Test("throttling answers are retried with backoff within the deadline, and nothing is counted twice")
    func throttlingIsRetried() async throws {
        // A moto of its own: behind the shared one's queue (8 clients × 40 increments, served one
        // request at a time) a call on a busy machine once took longer than its 10 s deadline.
        let moto = try await MotoServer.start()
        let store = try await Self.store(moto)
        let forward = HTTPClient(configuration: HTTPClient.Configuration(host: "127.0.0.1", port: moto.port))
        let refused = Atomic<Int>(0)
        let proxy = try ScriptedServer { request, _ in
            // Every other request is refused as DynamoDB refuses when throttled.
            if refused.add(1, ordering: .relaxed).newValue % 2 == 1 {
                let body = #"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"Rate of requests exceeds the allowed throughput."}"#
                return .bytes(Array("HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8))
            }
            guard let answer = try? forward.send(request.head, body: request.body, deadline: MonotonicTime.now().advanced(by: .seconds(5))) else {
                return .bytesThenClose([])
            }
            var head = "HTTP/1.1 \(answer.status.code) \(answer.status.reasonPhrase)\r\nContent-Length: \(answer.body.count)\r\n"
            for field in answer.head.headerFields where field.name != .contentLength && field.name != .transferEncoding && field.name != .connection {
                head += "\(field.name): \(field.value)\r\n"
            }
            return .bytes(Array((head + "\r\n").utf8) + answer.body)
        }
        let throttled = DynamoDBVisitStore(client: Self.client(port: proxy.port, callTimeout: .seconds(10)), table: store.table)
        for expected in 1...5 {
            #expect(try await throttled.increment(region: "us-east-1").total == expected)
        }
        #expect(refused.load(ordering: .relaxed) >= 10)
        #expect(try await store.counts().total == 5)
    }

    @Test("create-table survives a first CreateTable whose answer never comes (moto's first call loads its backend)")
    func createTableRetriesASilentFirstAttempt() async throws {
        let created = Atomic<Int>(0)
        let server = try ScriptedServer { request, _ in
            let target = request.head.headerFields[HTTPField.Name("X-Amz-Target")!] ?? ""
            if target.hasSuffix(".CreateTable"), created.add(1, ordering: .relaxed).newValue == 1 { return .silence }
            let body = target.hasSuffix(".CreateTable") ? #"{"TableDescription":{"TableStatus":"CREATING"}}"# : #"{"Table":{"TableStatus":"ACTIVE"}}"#
            return .bytes(Array("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8))
        }
        defer { server.stop() }
        let client = Self.client(port: server.port, callTimeout: .milliseconds(300))
        // On a thread of its own: under AddressSanitizer, with the other suites' blocking waits
        // holding the cooperative threads, the retry's backoff woke late enough to pass 10 s.
        let executor = try DedicatedExecutor()
        defer { executor.stop() }
        let outcome = await executor.start { () -> String? in
            do {
                try await client.createVisitsTable("visits", deadline: .after(.seconds(10)))
                return nil
            } catch {
                return "\(error)"
            }
        }.value
        #expect(outcome == nil, "\(outcome ?? "")")
        #expect(created.load(ordering: .relaxed) == 2)
    }

    @Test("an increment whose answer never comes is a 503-kind error within the deadline, and is not sent again")
    func unknownOutcomeIsNotRetried() async throws {
        let silent = try ScriptedServer { _, _ in .silence }
        defer { silent.stop() }
        let store = DynamoDBVisitStore(client: Self.client(port: silent.port, callTimeout: .milliseconds(300)), table: "visits")
        // Timed on a thread of its own: the store's answer must not wait for a cooperative thread
        // that other tests' blocking waits hold.
        let executor = try DedicatedExecutor()
        defer { executor.stop() }
        let (elapsed, message) = await executor.start { () -> (Duration, String) in
            let started = ContinuousClock.now
            do {
                _ = try await store.increment(region: "us-east-1")
                return (ContinuousClock.now - started, "counted without an answer")
            } catch {
                return (ContinuousClock.now - started, "\(error)")
            }
        }.value
        #expect(message.contains("outcome is unknown"), "\(message)")
        // Bounded by the 300 ms attempt, not by any retry.
        #expect(elapsed < .seconds(2))
        #expect(silent.requests == 1)
    }

    @Test("a request's deadline bounds every attempt and retry")
    func deadlineIsKept() async throws {
        let silent = try ScriptedServer { _, _ in .silence }
        defer { silent.stop() }
        let store = DynamoDBVisitStore(client: Self.client(port: silent.port, callTimeout: .seconds(10)), table: "visits")
        let executor = try DedicatedExecutor()
        defer { executor.stop() }
        let (elapsed, failed) = await executor.start { () -> (Duration, Bool) in
            let started = ContinuousClock.now
            do {
                _ = try await store.counts(deadline: .after(.milliseconds(250)))
                return (ContinuousClock.now - started, false)
            } catch {
                return (ContinuousClock.now - started, true)
            }
        }.value
        #expect(failed)
        // The call timeout is 10 s: only the request's deadline can end it this soon.
        #expect(elapsed < .seconds(2))
    }

    @Test("moto stopped: calls fail within the bounded time; back on the same port, the store recovers by itself, nothing acknowledged lost")
    func outageAndRecovery() async throws {
        let first = try await MotoServer.start()
        let port = first.port
        let client = Self.client(port: port, callTimeout: .milliseconds(500))
        // Set-up with time to spare: a new moto imports its DynamoDB backend on the first call.
        let setup = Self.client(port: port, callTimeout: .seconds(20))
        try await setup.createVisitsTable("visits", deadline: .after(.seconds(20)))
        let store = DynamoDBVisitStore(client: client, table: "visits")
        var acknowledged = 0
        for _ in 0..<5 { _ = try await store.increment(region: "us-east-1"); acknowledged += 1 }
        first.stop()
        // Timed on a thread of its own: on the shared pool, other suites' work (under
        // AddressSanitizer, on a loaded machine) delayed it by more than the bound.
        let executor = try DedicatedExecutor()
        defer { executor.stop() }
        let (elapsed, healthFailed, incrementFailed) = await executor.start { () -> (Duration, Bool, Bool) in
            let started = ContinuousClock.now
            let health = (try? await store.checkHealth(deadline: .after(.seconds(1)))) == nil
            let increment = (try? await store.increment(region: "us-east-1")) == nil
            return (ContinuousClock.now - started, health, increment)
        }.value
        #expect(healthFailed && incrementFailed)
        #expect(elapsed < .seconds(3))
        // moto keeps its tables in memory: a new one starts empty, so the table is made again and
        // the counts compared from there.
        let second = try await MotoServer.start(port: port)
        defer { second.stop() }
        try await setup.createVisitsTable("visits", deadline: .after(.seconds(20)))
        try await store.checkHealth(deadline: .after(.seconds(2)))
        #expect(try await store.increment(region: "us-east-1").total == 1)
        #expect(acknowledged == 5)
    }

    @Test("endpoints: the region's by default, SWIFTLET_DYNAMODB_ENDPOINT's form parsed strictly")
    func endpoints() {
        #expect(DynamoDBEndpoint.region("us-west-2").description == "https://dynamodb.us-west-2.amazonaws.com")
        #expect(DynamoDBEndpoint(url: "http://127.0.0.1:4566") == DynamoDBEndpoint(secure: false, host: "127.0.0.1", port: 4566))
        #expect(DynamoDBEndpoint(url: "https://localhost/")?.port == 443)
        #expect(DynamoDBEndpoint(url: "http://[::1]:8000")?.authority == "[::1]:8000")
        for bad in ["127.0.0.1:4566", "ftp://x", "http://", "http://h:port", "http://h/path", "http://user@h"] {
            #expect(DynamoDBEndpoint(url: bad) == nil, "\(bad)")
        }
    }

    @Test("backoff: full jitter under a doubling ceiling and a cap")
    func backoff() {
        let policy = RetryPolicy(maxAttempts: 5, base: .milliseconds(10), cap: .milliseconds(50))
        for retry in 1...8 {
            let ceiling = min(.milliseconds(50), Duration.milliseconds(10) * (1 << (retry - 1)))
            for _ in 0..<50 { #expect(policy.delay(beforeRetry: retry) <= ceiling) }
        }
    }
}
