import Glibc
import HTTPClient
import Synchronization
package import Threads
package import Timekeeping

/// A thin PostgreSQL client in the shape of `DynamoDBClient` and `RedisClient`: sessions opened
/// on first use (none at init), kept, and replaced after a failure; every call bounded by a
/// deadline; blocking calls on the store's own threads or the caller's; and retries only where
/// they are safe:
/// - a read whose connection failed is retried once on a fresh connection;
/// - a write whose outcome is unknown (the connection failed after sending) is never retried;
/// - a connection that cannot be opened is tried again until the deadline: Aurora Serverless v2
///   paused at 0 ACUs resumes when a connection arrives and takes seconds to accept it ("Scaling
///   to Zero ACUs with automatic pause and resume", Aurora User Guide), and meanwhile
///   `isResuming` says so, for `/health`.
package final class PostgresClient: Sendable {
    package let configuration: PostgresConfiguration
    /// The password each new session sends: the configured one, or a fresh RDS IAM token.
    private let password: @Sendable () -> String?
    private let blockingCalls: BlockingCalls
    private let idle = Mutex<[PostgresLink]>([])
    private let workers = BlockingWorkers(name: "postgres")
    private let tls = Mutex<TLSContext?>(nil)
    private let resuming = Mutex(false)
    /// An RDS IAM token is checked when a session opens; the session may outlive it. Sessions are
    /// still replaced now and then, so a rotated password or a failed-over writer is picked up.
    static let maximumSessionAge: Duration = .seconds(3600)
    /// Pauses between attempts to open a session while the server does not accept one.
    static let connectRetryPause: Duration = .milliseconds(250)

    package init(configuration: PostgresConfiguration, blockingCalls: BlockingCalls = .workerThreads,
                 password: (@Sendable () -> String?)? = nil) {
        self.configuration = configuration
        self.blockingCalls = blockingCalls
        let configured = configuration.password
        self.password = password ?? { configured }
    }

    /// Whether the last attempt to open a session failed for want of an answer while the server
    /// was reachable before: what a resuming Aurora looks like from here.
    package var isResuming: Bool { resuming.withLock { $0 } }

    /// Runs `sql` as the prepared statement `name` with `parameters` and returns its rows.
    package func execute(_ name: String, sql: String, parameters: [String?], isWrite: Bool, deadline: MonotonicTime? = nil) async throws(PostgresError) -> [[String?]] {
        let overall = deadline ?? .after(configuration.callTimeout)
        var retried = false
        while true {
            guard overall.remaining > .milliseconds(1) else { throw .deadlineExceeded }
            let attemptDeadline = MonotonicTime.after(min(overall.remaining, configuration.callTimeout))
            let result = await perform(overall: overall, attemptDeadline: attemptDeadline) { connection, deadline throws(PostgresError) in
                try connection.execute(name, sql: sql, parameters: parameters, deadline: deadline)
            }
            switch result {
            case .success(let rows):
                return rows
            case .failure(.outcomeUnknown) where !isWrite && !retried:
                retried = true
            case .failure(let error) where error.isServerGoingAway && !retried:
                // The server ended the session (a restart, a failover): nothing of ours ran.
                retried = true
            case .failure(let error):
                throw error
            }
        }
    }

    /// Runs `sql` with the simple query protocol, for `create-table`.
    package func run(_ sql: String, deadline: MonotonicTime) async throws(PostgresError) {
        let result = await perform(overall: deadline, attemptDeadline: deadline) { connection, deadline throws(PostgresError) in
            try connection.simpleQuery(sql, deadline: deadline)
        }
        if case .failure(let error) = result { throw error }
    }

    /// Closes every idle session.
    package func close() {
        for link in idle.withLock({ links in defer { links = [] }; return links }) { link.close() }
    }

    private func perform<T: Sendable>(overall: MonotonicTime, attemptDeadline: MonotonicTime,
                                      _ body: @escaping @Sendable (PostgresConnection, MonotonicTime) throws(PostgresError) -> T) async -> Result<T, PostgresError> {
        let link = idle.withLock { $0.popLast() } ?? PostgresLink()
        let result = await workers.run(blockingCalls) { [self] () -> Result<T, PostgresError> in
            do throws(PostgresError) {
                return .success(try link.withConnection(open: { () throws(PostgresError) -> PostgresConnection in
                    try openSession(until: overall)
                }, maximumAge: Self.maximumSessionAge) { connection throws(PostgresError) in
                    try body(connection, attemptDeadline)
                })
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success:
            idle.withLock { $0.append(link) }
        case .failure(let error):
            // The server refused one statement (a missing table): the session is still in step.
            if case .server = error, !error.isServerGoingAway { idle.withLock { $0.append(link) } }
        }
        return result
    }

    /// Opens a session, trying again while the server does not answer, until `deadline`.
    private func openSession(until deadline: MonotonicTime) throws(PostgresError) -> PostgresConnection {
        let context = try tlsContext()
        while true {
            let attempt = min(deadline, .after(configuration.connectTimeout))
            do throws(PostgresError) {
                let connection = try PostgresConnection.open(configuration, password: password(), tls: context, deadline: attempt)
                resuming.withLock { $0 = false }
                return connection
            } catch {
                // A refused connection is a server that is down: answered at once, so that the
                // visitor gets the 503 (and CloudFront its failover) without waiting. Only a
                // connection that is taken and not answered, as a resuming Aurora does, is tried
                // again.
                guard case .unreachable(let detail) = error, detail.contains("did not answer in time") else { throw error }
                resuming.withLock { $0 = true }
                guard MonotonicTime.after(Self.connectRetryPause) < deadline else { throw error }
                Self.pause(Self.connectRetryPause)
            }
        }
    }

    private func tlsContext() throws(PostgresError) -> TLSContext? {
        guard configuration.sslMode != .disable else { return nil }
        let caFile = configuration.caFile
        let verify = configuration.sslMode == .verifyFull
        do throws(HTTPClientError) {
            return try tls.withLock { context throws(HTTPClientError) -> TLSContext in
                if let context { return context }
                let made = try TLSContext(caBundle: caFile, verifyPeer: verify)
                context = made
                return made
            }
        } catch {
            throw .unreachable("\(error)")
        }
    }

    /// Blocks this thread (a worker's, or a Lambda slot's, never an event loop's) for `duration`.
    private static func pause(_ duration: Duration) {
        var request = timespec(tv_sec: Int(duration.components.seconds), tv_nsec: Int(duration.components.attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 { request = remaining }
    }
}

/// One session, opened on first use and kept; used by one call at a time (the client's pool hands
/// it out and takes it back), which is what lets it cross threads.
final class PostgresLink: Sendable {
    private let state = Mutex<PostgresConnection?>(nil)

    func withConnection<T>(open: () throws(PostgresError) -> sending PostgresConnection, maximumAge: Duration,
                           _ body: (PostgresConnection) throws(PostgresError) -> T) throws(PostgresError) -> T {
        try state.withLock { connection throws(PostgresError) -> T in
            if let current = connection, current.isStale || MonotonicTime.now() - current.openedAt > maximumAge {
                current.close()
                connection = nil
            }
            if connection == nil { connection = try open() }
            guard let session = connection else { throw .unreachable("no session") }
            do throws(PostgresError) {
                return try body(session)
            } catch {
                // After an error of the server's the session is still in step (ReadyForQuery came);
                // after anything else it cannot be trusted.
                if case .server = error, !error.isServerGoingAway {} else {
                    session.close()
                    connection = nil
                }
                throw error
            }
        }
    }

    func close() {
        state.withLock { connection in
            connection?.close()
            connection = nil
        }
    }
}
