import JSON
package import Timekeeping
package import VisitStore

/// Visits in a DynamoDB global table, counted exactly in two regions (`DESIGN.md`): every item is
/// `pk = "visits"`, `sk = "<region>#<shard>"`, `count` a number, and a region only ever adds to its
/// own items, so last-writer-wins replication between regions never overwrites an increment. An
/// increment adds 1 to one of `shards` items chosen at random (spreading a hot key), then one
/// strongly consistent `Query` sums every item into the total and the per-region counts.
///
/// An increment DynamoDB may have applied without saying so (the answer lost, a 5xx) is never
/// retried, which could count it twice, and never reported as counted: the caller gets an error
/// (a 503). Throttled calls are retried with jittered backoff within the request's deadline.
package final class DynamoDBVisitStore: VisitStore {
    package let client: DynamoDBClient
    package let table: String
    package let shards: Int
    /// `Limit` of each `Query` page; `nil` lets DynamoDB fill pages up to 1 MB (tests make it small).
    package let pageLimit: Int?
    static let partition = "visits"

    package init(client: DynamoDBClient, table: String = "visits", shards: Int = 4, pageLimit: Int? = nil) {
        self.client = client
        self.table = table
        self.shards = max(1, shards)
        self.pageLimit = pageLimit
    }

    package func increment(region: String, deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts {
        let shard = Int.random(in: 0..<shards)
        let updated: JSONValue
        do {
            updated = try await client.call("UpdateItem", body: Self.update(table, region: region, shard: shard, add: 1), isWrite: true, deadline: deadline)
        } catch {
            if error.writeOutcomeUnknown { throw .unavailable("the increment's outcome is unknown, so it is not reported as counted: \(error)") }
            throw Self.storeError(error)
        }
        guard let shardCount = updated["Attributes"]?["count"]?["N"]?.string.flatMap({ Int($0) }), shardCount > 0 else {
            throw .corrupt("UpdateItem did not return the new count")
        }
        let counts = try await counts(deadline: deadline)
        // A strongly consistent read after the write holds it; less would be a made-up count.
        guard counts.regions[region, default: 0] >= shardCount else { throw .corrupt("the counts read back miss this visit") }
        return counts
    }

    /// `ADD 0` to the region's first shard: the write a visit makes, counting nothing.
    package func probeWrite(region: String, deadline: MonotonicTime) async throws(VisitStoreError) {
        do {
            _ = try await client.call("UpdateItem", body: Self.update(table, region: region, shard: 0, add: 0), isWrite: true, deadline: deadline)
        } catch {
            throw Self.storeError(error)
        }
    }

    /// `UpdateItem` adding `add` to `<region>#<shard>`'s count.
    static func update(_ table: String, region: String, shard: Int, add: Int) -> [UInt8] {
        var writer = JSONWriter(capacity: 320)
        writer.beginObject()
        writer.key("TableName"); writer.string(table)
        writer.key("Key"); writer.beginObject()
        writer.key("pk"); Self.string(Self.partition, &writer)
        writer.key("sk"); Self.string("\(region)#\(shard)", &writer)
        writer.endObject()
        writer.key("UpdateExpression"); writer.string("ADD #c :one")
        writer.key("ExpressionAttributeNames"); writer.beginObject(); writer.key("#c"); writer.string("count"); writer.endObject()
        writer.key("ExpressionAttributeValues"); writer.beginObject()
        writer.key(":one"); writer.beginObject(); writer.key("N"); writer.string(String(add)); writer.endObject()
        writer.endObject()
        writer.key("ReturnValues"); writer.string("UPDATED_NEW")
        writer.endObject()
        return writer.bytes
    }

    /// Every item of the partition, page by page (a `Query` answers at most 1 MB), summed by region.
    package func counts(deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts {
        var regions: [String: Int] = [:]
        var startKey: JSONValue?
        repeat {
            var writer = JSONWriter(capacity: 256)
            writer.beginObject()
            writer.key("TableName"); writer.string(table)
            writer.key("KeyConditionExpression"); writer.string("pk = :pk")
            writer.key("ExpressionAttributeValues"); writer.beginObject(); writer.key(":pk"); Self.string(Self.partition, &writer); writer.endObject()
            writer.key("ConsistentRead"); writer.bool(true)
            if let pageLimit { writer.key("Limit"); writer.number(pageLimit) }
            if let startKey { writer.key("ExclusiveStartKey"); writer.value(startKey) }
            writer.endObject()
            let page: JSONValue
            do {
                page = try await client.call("Query", body: writer.bytes, isWrite: false, deadline: deadline)
            } catch {
                throw Self.storeError(error)
            }
            guard let items = page["Items"]?.array else { throw .corrupt("Query answered without Items") }
            for item in items {
                guard let sk = item["sk"]?["S"]?.string, let hash = sk.lastIndex(of: "#"),
                      let text = item["count"]?["N"]?.string, let count = Int(text), count >= 0 else {
                    throw .corrupt("an item of the visits partition is not a region's count")
                }
                regions[String(sk[..<hash]), default: 0] += count
            }
            startKey = page["LastEvaluatedKey"]
            if startKey?.isNull == true { startKey = nil }
        } while startKey != nil
        return VisitCounts(regions: regions)
    }

    /// A real read, bounded by `timeout`: the health check must see what visitors see.
    package func checkHealth(deadline: MonotonicTime) async throws(VisitStoreError) {
        _ = try await counts(deadline: deadline)
    }

    static func string(_ value: String, _ writer: inout JSONWriter) {
        writer.beginObject(); writer.key("S"); writer.string(value); writer.endObject()
    }

    static func storeError(_ error: DynamoDBError) -> VisitStoreError {
        switch error {
        case .malformedResponse(let detail): .corrupt(detail)
        default: .unavailable(error.description)
        }
    }
}
