import AWSSigning
import DynamoDBStore
import Glibc
import JSON
import TestSupport
import Testing

/// Two `swiftlet serve` processes, one per region, counting into moto (which keeps one table per
/// signing region and does not replicate): many concurrent visits on both, then each region's items
/// copied to the other as a global table's last-writer-wins replication would. Both must then
/// report the same total, equal to the visits they acknowledged, and each region's count equal to
/// what its server acknowledged.
@Suite("two regions, exact", .serialized)
struct TwoRegionTests {
    static let regions = ["us-east-1", "us-west-2"]
    static let credentials = AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "test-secret")

    func client(_ moto: MotoServer, _ region: String) -> DynamoDBClient {
        DynamoDBClient(configuration: .init(endpoint: DynamoDBEndpoint(secure: false, host: "127.0.0.1", port: moto.port), region: region, credentials: Self.credentials))
    }

    func environment(_ moto: MotoServer, _ region: String, table: String) -> [String: String] {
        ["AWS_REGION": region, "AWS_ACCESS_KEY_ID": Self.credentials.accessKeyID, "AWS_SECRET_ACCESS_KEY": Self.credentials.secretAccessKey,
         "SWIFTLET_DYNAMODB_ENDPOINT": moto.endpoint, "SWIFTLET_TABLE": table, "LOG_LEVEL": "notice"]
    }

    /// Every item of `table` in `from`, put into `table` in `to`, as replication would.
    func replicate(_ moto: MotoServer, table: String, from: String, to: String, onlyPrefix: String?) async throws {
        var query = JSONWriter()
        query.beginObject()
        query.key("TableName"); query.string(table)
        query.key("KeyConditionExpression"); query.string("pk = :pk")
        query.key("ExpressionAttributeValues"); query.beginObject(); query.key(":pk"); query.beginObject(); query.key("S"); query.string("visits"); query.endObject(); query.endObject()
        query.key("ConsistentRead"); query.bool(true)
        query.endObject()
        let items = try await client(moto, from).call("Query", body: query.bytes, isWrite: false)["Items"]?.array ?? []
        for item in items {
            if let prefix = onlyPrefix, item["sk"]?["S"]?.string?.hasPrefix(prefix + "#") != true { continue }
            var put = JSONWriter()
            put.beginObject()
            put.key("TableName"); put.string(table)
            put.key("Item"); put.value(item)
            put.endObject()
            _ = try await client(moto, to).call("PutItem", body: put.bytes, isWrite: true)
        }
    }

    @Test("concurrent visits in two regions, replicated last-writer-wins: nothing lost or doubled")
    func exactAcrossRegions() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let table = "visits"
        for region in Self.regions {
            let made = try ChildProcess(SwiftletCLITests.binary, ["create-table"], environment: environment(moto, region, table: table))
            #expect(made.wait(timeout: .seconds(30)) == 0, "\(made.standardError)")
        }
        var servers: [(ChildProcess, UInt16)] = []
        for region in Self.regions {
            servers.append(try SwiftletCLITests().startServer(["--store", "dynamodb"], environment: environment(moto, region, table: table)))
        }
        // 4 clients per region, 25 visits each, all at once.
        let ports = servers.map(\.1)
        let counted = await withTaskGroup(of: (String, Int).self) { group in
            for (index, region) in Self.regions.enumerated() {
                let port = ports[index]
                for _ in 0..<4 {
                    group.addTask {
                        // Blocking reads, on a thread of their own rather than a cooperative one.
                        let acknowledged = (try? await onOwnThread { () -> Int in
                            guard let client = try? RawClient(port: port) else { return 0 }
                            var acknowledged = 0
                            for _ in 0..<25 {
                                if let response = try? client.request("POST", "/api/visits"), response.status == 200 { acknowledged += 1 }
                            }
                            return acknowledged
                        }) ?? 0
                        return (region, acknowledged)
                    }
                }
            }
            var counted: [String: Int] = [:]
            for await (region, acknowledged) in group { counted[region, default: 0] += acknowledged }
            return counted
        }
        #expect(counted.values.reduce(0, +) == 200, "every visit answered: \(counted)")
        try await replicate(moto, table: table, from: "us-east-1", to: "us-west-2", onlyPrefix: "us-east-1")
        try await replicate(moto, table: table, from: "us-west-2", to: "us-east-1", onlyPrefix: "us-west-2")
        for (server, port) in servers {
            let client = try RawClient(port: port)
            let body = try #require(try client.request("GET", "/api/visits")).body
            let json = try JSONValue.parse(body)
            #expect(json["visits"]?.int == counted.values.reduce(0, +), "\(String(decoding: body, as: UTF8.self))")
            for region in Self.regions { #expect(json["regions"]?[region]?.int == counted[region], "\(region)") }
            server.signal(SIGTERM)
            #expect(server.wait() == 0)
        }
    }

    @Test("negative control: one shared counter item, replicated last-writer-wins, loses increments")
    func sharedItemLosesIncrements() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let table = "shared"
        var added: [String: Int] = [:]
        for region in Self.regions {
            let client = client(moto, region)
            try await client.createVisitsTable(table, deadline: .after(.seconds(20)))
            for _ in 0..<(region == "us-east-1" ? 30 : 20) {
                var update = JSONWriter()
                update.beginObject()
                update.key("TableName"); update.string(table)
                update.key("Key"); update.value(try JSONValue.parse(Array(#"{"pk":{"S":"visits"},"sk":{"S":"shared#0"}}"#.utf8)))
                update.key("UpdateExpression"); update.string("ADD #c :one")
                update.key("ExpressionAttributeNames"); update.value(try JSONValue.parse(Array(##"{"#c":"count"}"##.utf8)))
                update.key("ExpressionAttributeValues"); update.value(try JSONValue.parse(Array(#"{":one":{"N":"1"}}"#.utf8)))
                update.endObject()
                _ = try await client.call("UpdateItem", body: update.bytes, isWrite: true)
                added[region, default: 0] += 1
            }
        }
        // The us-west-2 write came last, so it wins in both regions.
        try await replicate(moto, table: table, from: "us-west-2", to: "us-east-1", onlyPrefix: nil)
        for region in Self.regions {
            let store = DynamoDBVisitStore(client: client(moto, region), table: table)
            let total = try await store.counts().total
            #expect(total == 20 && total < added.values.reduce(0, +), "\(region): \(total) of \(added)")
        }
    }
}
