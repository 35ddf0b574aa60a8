import Glibc
import Synchronization

/// moto's DynamoDB-compatible server (`scripts/moto-server`: moto served one request at a time) on
/// a free loopback port, started once per test process and mode, and stopped by PID: killed when
/// the process ends (it watches its parent), or by `stop()`.
package final class MotoServer: @unchecked Sendable {
    package let port: UInt16
    /// With signature checks on: the access key moto made, which every call must be signed with.
    package let accessKey: (id: String, secret: String)?
    private let child: ChildProcess

    package var endpoint: String { "http://127.0.0.1:\(port)" }

    package static let repositoryRoot: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    private static let servers = Mutex<[Bool: MotoServer]>([:])

    /// The process's server for `withAuth` (started on first use, on a thread of its own: moto
    /// takes seconds to import).
    package static func shared(withAuth: Bool = false) async throws -> MotoServer {
        try await onOwnThread {
            try servers.withLock { servers in
                if let server = servers[withAuth], server.isRunning { return server }
                let server = try MotoServer(withAuth: withAuth)
                servers[withAuth] = server
                return server
            }
        }
    }

    /// A server of its own, started on a thread of its own.
    package static func start(withAuth: Bool = false, port: UInt16 = 0) async throws -> MotoServer {
        try await onOwnThread { try MotoServer(withAuth: withAuth, port: port) }
    }

    /// Starts a server of its own (a test that stops and restarts it must not share it).
    package init(withAuth: Bool = false, port: UInt16 = 0) throws {
        var arguments = ["python3", Self.repositoryRoot + "/scripts/moto-server", "--port", "\(port)", "--parent-pid", "\(getpid())"]
        if withAuth { arguments.append("--with-auth") }
        child = try ChildProcess("/usr/bin/env", arguments)
        let deadline = ContinuousClock.now + .seconds(60)
        var port: UInt16?
        var key: (String, String)?
        while ContinuousClock.now < deadline {
            let lines = child.standardOutput.split(separator: "\n")
            for line in lines {
                let words = line.split(separator: " ")
                if words.first == "port", words.count == 2 { port = UInt16(words[1]) }
                if words.first == "key", words.count == 3 { key = (String(words[1]), String(words[2])) }
            }
            if let port, !withAuth || key != nil {
                self.port = port
                self.accessKey = key
                return
            }
            if child.wait(timeout: .milliseconds(20)) != nil { break }
        }
        throw StartError(output: child.standardError)
    }

    package struct StartError: Error, CustomStringConvertible {
        package let output: String
        package var description: String { "moto did not start (is moto[server] installed? bash scripts/setup --test): \(output.suffix(800))" }
    }

    var isRunning: Bool { child.exitStatus == nil }

    /// Kills the server (a fault test's outage) and waits for it to be gone.
    package func stop() {
        child.signal(SIGKILL)
        child.wait(timeout: .seconds(5))
    }

    deinit { stop() }
}
