package import Timekeeping
package import VisitStore

/// Visits in one Redis hash, one field per region: `HINCRBY` adds a visit atomically, `HGETALL`
/// reads every region's count. An increment and the read that answers it go in one `MULTI`/`EXEC`
/// pipeline: one round trip, and the counts are the ones right after this visit.
///
/// A region only ever increments its own field, as in every store (`DESIGN.md`). An increment
/// whose outcome is unknown (the connection failed after sending) is reported as a failure (503)
/// and never retried, since `HINCRBY` would count it twice; one Redis refused (`-OOM`, a redirect
/// loop) was not applied.
package final class RedisVisitStore: VisitStore {
    package let client: RedisClient

    package init(client: RedisClient) {
        self.client = client
    }

    private var key: String { client.configuration.key }

    package func increment(region: String, deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts {
        let replies = try await call([["MULTI"], ["HINCRBY", key, region, "1"], ["HGETALL", key], ["EXEC"]], isWrite: true, deadline: deadline)
        for reply in replies.dropLast() {
            if case .error(let message) = reply { throw Self.refused(message) }
        }
        guard case .array(let results)? = replies.last, results.count == 2 else {
            if case .error(let message)? = replies.last { throw Self.refused(message) }
            throw .corrupt("EXEC did not answer the transaction's two replies")
        }
        if case .error(let message) = results[0] { throw Self.refused(message) }
        guard case .integer(let mine) = results[0], mine > 0 else { throw .corrupt("HINCRBY did not answer a positive count") }
        let counts = try Self.counts(from: results[1])
        // The read is in the same transaction as the write: less would be a made-up count.
        guard counts.regions[region, default: 0] == mine else { throw .corrupt("the counts read back miss this visit") }
        return counts
    }

    package func counts(deadline: MonotonicTime?) async throws(VisitStoreError) -> VisitCounts {
        let replies = try await call([["HGETALL", key]], isWrite: false, deadline: deadline)
        if case .error(let message) = replies[0] { throw Self.refused(message) }
        return try Self.counts(from: replies[0])
    }

    /// `PING`: a bounded round trip, on a connection that has authenticated.
    package func checkHealth(deadline: MonotonicTime) async throws(VisitStoreError) {
        let replies = try await call([["PING"]], isWrite: false, deadline: deadline)
        guard replies.first == .simple("PONG") else {
            if case .error(let message)? = replies.first { throw Self.refused(message) }
            throw .unavailable("Redis answered PING with \(String(describing: replies.first))")
        }
    }

    /// `HINCRBY … 0`: a write as a visit makes it, refused as a visit would be (`-OOM` when Redis
    /// is out of memory, `-READONLY` on a replica), counting nothing.
    package func probeWrite(region: String, deadline: MonotonicTime) async throws(VisitStoreError) {
        let replies = try await call([["HINCRBY", key, region, "0"]], isWrite: true, deadline: deadline)
        if case .error(let message) = replies[0] { throw Self.refused(message) }
    }

    private func call(_ commands: [[String]], isWrite: Bool, deadline: MonotonicTime?) async throws(VisitStoreError) -> [RESPValue] {
        do throws(RedisError) {
            let replies = try await client.call(commands, isWrite: isWrite, deadline: deadline)
            guard replies.count == commands.count else { throw .protocolViolation("\(replies.count) replies to \(commands.count) commands") }
            return replies
        } catch {
            switch error {
            case .outcomeUnknown(let detail) where isWrite:
                throw .unavailable("the increment's outcome is unknown, so it is not reported as counted: \(detail)")
            case .protocolViolation(let detail):
                throw .corrupt("Redis: \(detail)")
            default:
                throw .unavailable("\(error)")
            }
        }
    }

    static func refused(_ message: String) -> VisitStoreError {
        .unavailable(RedisError.server(message).description)
    }

    /// `HGETALL`'s flat list of field, value, field, value… as counts.
    static func counts(from reply: RESPValue) throws(VisitStoreError) -> VisitCounts {
        guard case .array(let items) = reply, items.count % 2 == 0 else { throw .corrupt("HGETALL did not answer field and value pairs") }
        var regions: [String: Int] = [:]
        var index = 0
        while index < items.count {
            guard let field = items[index].text, let text = items[index + 1].text, let count = Int(text), count >= 0 else {
                throw .corrupt("a field of the visits hash is not a region's count")
            }
            regions[field] = count
            index += 2
        }
        return VisitCounts(regions: regions)
    }
}
