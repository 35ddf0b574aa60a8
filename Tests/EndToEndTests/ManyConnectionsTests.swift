import Glibc
import Sockets
import TestSupport
import Testing

/// How many connections the test holds: the server's and this process's descriptors both have to
/// fit under the hard `RLIMIT_NOFILE` (20,000 on the machine this was written on), which is why
/// the server runs as a child process.
private let heldConnections = 10_000

extension SwiftletCLITests {
    /// Ten thousand keep-alive connections, each answered once and then silent, held open against
    /// `swiftlet serve`: a new client is still answered promptly, and the held ones still answer.
    /// The server raises its open-files limit to the hard limit at start and logs it.
    @Test(.enabled(if: FileDescriptorLimit.raiseToMaximum() >= UInt64(heldConnections + 500),
                   "needs a hard open-files limit of \(heldConnections + 500)"))
    func tenThousandIdleConnectionsLeaveANewClientAnsweredPromptly() async throws {
        // Started as from a login shell, with the usual soft limit of 1,024: only the server's own
        // raise lets it hold more. (This test process raised its own, which a child would inherit.)
        let shell = ["/bin/sh", "-c", "ulimit -Sn 1024 && exec \"$0\" \"$@\"", Self.binary]
        let (server, port) = try startServer(["--store", "memory"], environment: ["LOG_LEVEL": "notice"], command: shell)
        defer { server.signal(SIGKILL) }
        let limit = try #require(server.standardError.firstRange(of: "open_files_limit=").map { server.standardError[$0.upperBound...].prefix { $0.isNumber } })
        #expect((Int(limit) ?? 0) >= heldConnections + 100, "the server raised its limit: \(limit)")

        let outcome = try await onOwnThread { () throws -> (held: Int, newClient: Duration, status: Int?, sampled: Int, stillAnswering: Int) in
            var held: [RawClient] = []
            var answeredAt: [ContinuousClock.Instant] = []
            held.reserveCapacity(heldConnections)
            for _ in 0..<heldConnections {
                let client = try RawClient(port: port, timeoutMilliseconds: 5_000)
                guard try client.request("GET", "/api/visits")?.status == 200 else { break }
                held.append(client)
                answeredAt.append(.now)
            }
            let started = ContinuousClock.now
            let newcomer = try RawClient(port: port)
            let status = try newcomer.request("GET", "/")?.status
            let newClient = ContinuousClock.now - started
            // One in a hundred asks again, of those idle for less than the server's idle timeout
            // (60 s): on a slow run (AddressSanitizer on a loaded machine) the first ones opened
            // have been idle longer, and the server rightly closed them.
            var sampled = 0
            var stillAnswering = 0
            for (index, client) in held.enumerated() where index % 100 == 0 && ContinuousClock.now - answeredAt[index] < .seconds(50) {
                sampled += 1
                if try client.request("GET", "/api/visits")?.status == 200 { stillAnswering += 1 }
            }
            return (held.count, newClient, status, sampled, stillAnswering)
        }
        #expect(outcome.held == heldConnections)
        #expect(outcome.status == 200)
        // Typically a few milliseconds; the bound leaves room for a sanitizer build on a busy machine.
        #expect(outcome.newClient < .seconds(2), "a new client waited \(outcome.newClient)")
        #expect(outcome.sampled > 0)
        #expect(outcome.stillAnswering == outcome.sampled, "held connections were dropped: \(outcome.stillAnswering) of \(outcome.sampled)")
    }

    /// A server out of descriptors (its hard limit lowered to 1,100) answers a new client 503 at
    /// once, with a spare descriptor given up for the purpose, instead of leaving it in the backlog
    /// with no answer; once some connections close, clients are served again.
    @Test(.enabled(if: FileDescriptorLimit.raiseToMaximum() >= 1_500, "needs a hard open-files limit of 1,500"))
    func aServerOutOfDescriptorsAnswers503AtOnce() async throws {
        let shell = ["/bin/sh", "-c", "ulimit -n 1100 && exec \"$0\" \"$@\"", Self.binary]
        let (server, port) = try startServer(["--store", "memory"], environment: ["LOG_LEVEL": "notice"], command: shell)
        defer { server.signal(SIGKILL) }

        let outcome = try await onOwnThread { () throws -> (held: Int, refused: Int?, waited: Duration, recovered: Bool) in
            var held: [RawClient] = []
            var refused: Int?
            var waited = Duration.zero
            for _ in 0..<1_200 {
                let client = try RawClient(port: port, timeoutMilliseconds: 5_000)
                let started = ContinuousClock.now
                let status = try client.request("GET", "/api/visits")?.status
                if status == 200 {
                    held.append(client)
                } else {
                    (refused, waited) = (status, ContinuousClock.now - started)
                    break
                }
            }
            let count = held.count
            held.removeLast(min(50, held.count)) // closed as they go
            var recovered = false
            let deadline = ContinuousClock.now + .seconds(10)
            while !recovered && ContinuousClock.now < deadline {
                recovered = try RawClient(port: port).request("GET", "/")?.status == 200
            }
            return (count, refused, waited, recovered)
        }
        #expect(outcome.held > 1_000 && outcome.held < 1_100, "\(outcome.held) held")
        #expect(outcome.refused == 503)
        #expect(outcome.waited < .seconds(2), "the refused client waited \(outcome.waited)")
        #expect(outcome.recovered)
        #expect(server.standardError.contains("out of file descriptors"), "\(server.standardError)")
    }
}
