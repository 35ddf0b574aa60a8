import Glibc
import JSON
import Testing
import TestSupport

/// The built binary with `SWIFTLET_STORE=postgres` against a real PostgreSQL over verify-full TLS:
/// `create-table --store postgres` makes the table, `serve` counts into it, and a wrong password
/// is one line and a non-zero exit.
@Suite("swiftlet with PostgreSQL", .serialized)
struct PostgresCLITests {

    static func url(_ server: PostgresServer, password: String = PostgresServer.password) -> String {
        "postgres://\(PostgresServer.user):\(password)@localhost:\(server.port)/postgres?sslmode=verify-full&sslrootcert=\(server.caFile)"
    }

    @Test("create-table --store postgres, then serve --store postgres counts visits; a wrong password is one line")
    func createsAndServes() async throws {
        let server = try await PostgresServer.shared()
        let environment = ["SWIFTLET_POSTGRES_URL": Self.url(server), "SWIFTLET_TABLE": "cli_visits", "AWS_REGION": "eu-west-1"]
        let made = try SwiftletCLITests().run(["create-table", "--store", "postgres"], environment: environment)
        #expect(made.status == 0, "\(made.error)")
        let again = try SwiftletCLITests().run(["create-table", "--store", "postgres"], environment: environment)
        #expect(again.status == 0, "making it twice is fine: \(again.error)")
        let (child, port) = try SwiftletCLITests().startServer(["--store", "postgres"], environment: environment)
        defer { child.signal(SIGTERM); child.wait() }
        let client = try RawClient(port: port)
        let first = try #require(try client.request("POST", "/api/visits"))
        #expect(first.status == 200, "\(first.text) \(child.standardError)")
        #expect(try JSONValue.parse(first.body)["regions"]?["eu-west-1"]?.int == 1)
        #expect(try client.request("GET", "/health")?.status == 200)
        var wrong = environment
        wrong["SWIFTLET_POSTGRES_URL"] = Self.url(server, password: "wrong-password-77")
        let bad = try SwiftletCLITests().run(["create-table", "--store", "postgres"], environment: wrong)
        #expect(bad.status != 0 && bad.status != nil)
        #expect(bad.error.split(separator: "\n").count == 1 && bad.error.contains("28P01"), "\(bad.error)")
        #expect(!bad.error.contains("wrong-password-77"))
    }
}
