import Glibc
import JSON
import Testing
import TestSupport

/// The built binary with `SWIFTLET_STORE=redis` against a real `redis-server` over TLS: it serves
/// and counts, and `create-table --store redis` says whether the URL takes writes, in one line.
@Suite("swiftlet with Redis", .serialized)
struct RedisCLITests {

    static func url(_ server: RedisServer, password: String = RedisServer.password) -> String {
        "rediss://\(RedisServer.user):\(password)@localhost:\(server.tlsPort)/?sslrootcert=\(server.caFile)"
    }

    @Test("serve --store redis counts visits over TLS with an ACL user")
    func serves() async throws {
        let server = try await RedisServer.shared()
        let (child, port) = try SwiftletCLITests().startServer(["--store", "redis"], environment: ["SWIFTLET_REDIS_URL": Self.url(server), "AWS_REGION": "eu-west-1"])
        defer { child.signal(SIGTERM); child.wait() }
        let client = try RawClient(port: port)
        let first = try #require(try client.request("POST", "/api/visits"))
        #expect(first.status == 200, "\(first.text) \(child.standardError)")
        let counts = try JSONValue.parse(first.body)
        #expect((counts["regions"]?["eu-west-1"]?.int ?? 0) >= 1)
        #expect(try client.request("GET", "/health")?.status == 200)
    }

    @Test("create-table --store redis: a URL that takes writes is said so; a wrong password is one line and a non-zero exit")
    func createTable() async throws {
        let server = try await RedisServer.shared()
        let good = try SwiftletCLITests().run(["create-table", "--store", "redis"], environment: ["SWIFTLET_REDIS_URL": Self.url(server)])
        #expect(good.status == 0, "\(good.error)")
        let bad = try SwiftletCLITests().run(["create-table", "--store", "redis"], environment: ["SWIFTLET_REDIS_URL": Self.url(server, password: "wrong-password-99")])
        #expect(bad.status != 0 && bad.status != nil)
        #expect(bad.error.split(separator: "\n").count == 1 && bad.error.contains("WRONGPASS"), "\(bad.error)")
        #expect(!bad.error.contains("wrong-password-99"))
        let unknown = try SwiftletCLITests().run(["create-table", "--store", "mysql"])
        #expect(unknown.status != 0 && unknown.error.contains("--store=mysql is not valid: expected dynamodb, postgres or redis"), "\(unknown.error)")
    }
}
