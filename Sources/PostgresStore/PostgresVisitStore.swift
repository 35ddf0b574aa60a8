package import Timekeeping
package import VisitStore

/// Visits in a PostgreSQL table (Aurora Serverless v2 in seed 001), one row per region and shard:
/// `(region text, shard int, count bigint)`, primary key `(region, shard)`. An increment adds 1 to
/// one of `shards` rows chosen at random (spreading one hot row's lock), and in the same
/// statement reads every region's sum: one round trip, and the counts include this visit.
///
/// A data-modifying `WITH` is not seen by the rest of its statement (its snapshot is from before
/// it, "Data-Modifying Statements in WITH", PostgreSQL documentation §7.8.4), so the sums take
/// every row but the one just bumped from the table and that row from `RETURNING`.
///
/// A region only ever adds to its own rows (`DESIGN.md`). An increment whose outcome is unknown
/// (the connection failed after sending) is reported as a failure (503) and never retried.
package final class PostgresVisitStore: VisitStore {
    package let client: PostgresClient
    package let shards: Int

    package init(client: PostgresClient, shards: Int = 4) {
        self.client = client
        self.shards = max(1, shards)
    }

    private var table: String { client.configuration.table }

    /// The schema `swiftlet create-table --store postgres` makes.
    package static func schema(table: String) -> String {
        """
        CREATE TABLE IF NOT EXISTS \(table) (
            region text NOT NULL,
            shard integer NOT NULL,
            count bigint NOT NULL DEFAULT 0 CHECK (count >= 0),
            PRIMARY KEY (region, shard)
        )
        """
    }

    var incrementSQL: String {
        """
        WITH bumped AS (
            INSERT INTO \(table) AS v (region, shard, count) VALUES ($1, $2, 1)
            ON CONFLICT (region, shard) DO UPDATE SET count = v.count + 1
            RETURNING region, shard, count
        )
        SELECT region, sum(count)::bigint FROM (
            SELECT region, shard, count FROM \(table) t
            WHERE NOT EXISTS (SELECT 1 FROM bumped b WHERE b.region = t.region AND b.shard = t.shard)
            UNION ALL SELECT region, shard, count FROM bumped
        ) AS rows GROUP BY region
        """
    }

    var countsSQL: String { "SELECT region, sum(count)::bigint FROM \(table) GROUP BY region" }

    /// A write as a visit makes it (a new row version, as `count + 0` is still an update), counting nothing.
    var probeSQL: String {
        "INSERT INTO \(table) AS v (region, shard, count) VALUES ($1, 0, 0) ON CONFLICT (region, shard) DO UPDATE SET count = v.count"
    }

    package func increment(region: String, deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts {
        let shard = Int.random(in: 0..<shards)
        let rows = try await execute("swiftlet_increment", incrementSQL, [region, String(shard)], isWrite: true, deadline: deadline)
        let counts = try Self.counts(from: rows)
        guard counts.regions[region, default: 0] > 0 else { throw .corrupt("the counts read back miss this visit") }
        return counts
    }

    package func counts(deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts {
        try Self.counts(from: try await execute("swiftlet_counts", countsSQL, [], isWrite: false, deadline: deadline))
    }

    /// `SELECT 1`: a bounded round trip on a session that has authenticated; "resuming" while a
    /// paused Aurora wakes up.
    package func checkHealth(deadline: MonotonicTime) async throws(VisitStoreError) {
        let rows = try await execute("swiftlet_health", "SELECT 1", [], isWrite: false, deadline: deadline)
        guard rows.first?.first == "1" else { throw .unavailable("PostgreSQL answered SELECT 1 with \(rows)") }
    }

    package func probeWrite(region: String, deadline: MonotonicTime) async throws(VisitStoreError) {
        _ = try await execute("swiftlet_probe", probeSQL, [region], isWrite: true, deadline: deadline)
    }

    private func execute(_ name: String, _ sql: String, _ parameters: [String?], isWrite: Bool, deadline: MonotonicTime?) async throws(VisitStoreError) -> [[String?]] {
        do throws(PostgresError) {
            return try await client.execute(name, sql: sql, parameters: parameters, isWrite: isWrite, deadline: deadline)
        } catch {
            switch error {
            case .outcomeUnknown(let detail) where isWrite:
                throw .unavailable("the increment's outcome is unknown, so it is not reported as counted: \(detail)")
            case .protocolViolation(let detail):
                throw .corrupt("PostgreSQL: \(detail)")
            case .deadlineExceeded where client.isResuming, .unreachable where client.isResuming:
                throw .resuming("the database does not accept connections yet, as a paused Aurora Serverless v2 while it resumes (\(error))")
            default:
                throw .unavailable("\(error)")
            }
        }
    }

    /// Rows of `(region, sum)` as counts.
    static func counts(from rows: [[String?]]) throws(VisitStoreError) -> VisitCounts {
        var regions: [String: Int] = [:]
        for row in rows {
            guard row.count == 2, let region = row[0], let text = row[1], let count = Int(text), count >= 0 else {
                throw .corrupt("a row of the visits table is not a region's count")
            }
            regions[region] = count
        }
        return VisitCounts(regions: regions)
    }
}
