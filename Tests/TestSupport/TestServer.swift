import Synchronization

/// A real server a test starts (Redis, PostgreSQL): made, stopped and restarted on a thread of
/// its own, since each blocks for seconds and Swift's cooperative pool has two threads; and one
/// per type shared by the suites that only count, each on keys or tables of its own, so that a
/// loaded run has fewer servers at once.
package protocol TestServer: AnyObject, Sendable {
    /// Starts the server, blocking until it is ready.
    init() throws
    /// Kills it (an outage, not a shutdown), blocking until it is gone.
    func stopNow()
    /// Starts it again on the same port and data, blocking until it is ready.
    func restartNow() throws
}

/// The shared server of each type, by type.
private let sharedServers = Mutex<[ObjectIdentifier: any TestServer]>([:])

extension TestServer {
    /// The test process's server of this type, started on first use.
    package static func shared() async throws -> Self {
        try await onOwnThread {
            try sharedServers.withLock { servers in
                if let server = servers[ObjectIdentifier(Self.self)] as? Self { return server }
                let made = try Self()
                servers[ObjectIdentifier(Self.self)] = made
                return made
            }
        }
    }

    /// A server of its own, for a test that stops and restarts it.
    package static func start() async throws -> Self {
        try await onOwnThread { try Self() }
    }

    package func stop() async {
        _ = try? await onOwnThread { [self] in stopNow() }
    }

    package func restart() async throws {
        try await onOwnThread { [self] in try restartNow() }
    }
}
