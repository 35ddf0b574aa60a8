import AWSSigning
import DynamoDBStore
import JSON
import TestSupport
import Testing
import VisitStore

/// What CloudFront and visitors see when DynamoDB cannot be reached: 503 from `/health` and from
/// every page that needs the store, within the bounded time, and the app back by itself when
/// DynamoDB is, with no acknowledged visit lost.
@Suite("DynamoDB outage through the app", .serialized)
struct DynamoDBOutageTests {
    @Test("moto stopped: /health, GET / and POST /api/visits answer 503 in bounded time; restarted: all answer again")
    func outage() async throws {
        let moto = try await MotoServer.start()
        let port = moto.port
        let client = DynamoDBClient(configuration: .init(endpoint: DynamoDBEndpoint(secure: false, host: "127.0.0.1", port: port), region: "us-east-1",
                                                         credentials: AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "secret"),
                                                         callTimeout: .milliseconds(400)))
        // Set-up with time to spare: a new moto imports its DynamoDB backend on the first call.
        let setup = DynamoDBClient(configuration: .init(endpoint: client.configuration.endpoint, region: "us-east-1",
                                                        credentials: client.configuration.credentials, callTimeout: .seconds(20)))
        try await setup.createVisitsTable("visits", deadline: .after(.seconds(20)))
        let app = try AppHarness(store: DynamoDBVisitStore(client: client), healthCacheDuration: .zero,
                                 healthTimeout: .seconds(5)) // the check after the restart shows recovery, not a loaded machine
        #expect(try await app.direct(.get, "/health").status == 200)
        for _ in 0..<3 { #expect(try await app.direct(.post, "/api/visits").status == 200) }

        moto.stop()
        let (elapsed, answers) = try await app.timedOnOwnThread([(.get, "/health"), (.post, "/api/visits"), (.get, "/")])
        let (health, post, page) = (answers[0], answers[1], answers[2])
        #expect(health.status == 503)
        #expect(health.text.contains("unavailable"))
        #expect(post.status == 503)
        #expect(post.text.contains(post.header("X-Request-Id") ?? "no id"))
        #expect(page.status == 503)
        #expect(elapsed < .seconds(5))

        let back = try await MotoServer.start(port: port)
        defer { back.stop() }
        try await setup.createVisitsTable("visits", deadline: .after(.seconds(20)))
        #expect(try await app.direct(.get, "/health").status == 200)
        let after = try await app.direct(.post, "/api/visits")
        #expect(after.status == 200)
        // moto starts empty: the one visit since is all it holds, and it is counted once.
        #expect(try JSONValue.parse(after.body)["visits"]?.int == 1)
    }
}
