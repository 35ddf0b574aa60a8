import Glibc
import Synchronization
internal import Sockets

/// Debian's PostgreSQL on a free loopback port, for the PostgreSQL store's tests: `initdb` into a
/// temporary folder, `scram-sha-256` for every connection in `pg_hba.conf`, TLS with a certificate
/// from a CA the test made (`TestCertificates`), and a user with a password. Run as the `postgres`
/// user when the tests run as root (PostgreSQL refuses root), through `setpriv`, which execs in
/// place, so that the PID the test stops is the server's. `restart()` brings it back on the same
/// port and data.
package final class PostgresServer: TestServer, @unchecked Sendable {
    package static let user = "swiftlet"
    package static let password = "test-password-5678"
    package static let database = "swiftlet"

    package let port: UInt16
    package let certificates: TestCertificates
    private let folder: TemporaryFolder
    private let bin: String
    private var child: ChildProcess?

    package var caFile: String { certificates.caFile }
    package var otherCAFile: String { certificates.otherCAFile }
    private var data: String { folder.file("data") }

    package struct StartError: Error, CustomStringConvertible {
        package let description: String
    }

    package init() throws {
        guard let found = Self.binaries() else { throw StartError(description: "PostgreSQL is not installed (bash scripts/setup --test)") }
        bin = found
        certificates = try TestCertificates()
        folder = TemporaryFolder()
        let probe = try Socket.listening(on: .ipv4(host: "127.0.0.1", port: 0))
        port = try probe.localAddress().port
        probe.close()
        folder.write("password", Array(Self.password.utf8))
        let asUser = geteuid() == 0 ? "chown -R postgres:postgres '\(folder.path)' '\(certificates.folder.path)' && setpriv --reuid=postgres --regid=postgres --init-groups " : ""
        let script = """
        set -e
        cd '\(folder.path)'
        chmod 755 '\(folder.path)'
        cp '\(certificates.certificateFile)' server.pem && cp '\(certificates.keyFile)' server.key && chmod 600 server.key
        \(asUser)'\(bin)/initdb' -D '\(data)' -U \(Self.user) --pwfile='\(folder.file("password"))' --auth=scram-sha-256 -E UTF8 >initdb.log 2>&1
        cat >> '\(data)/postgresql.conf' <<CONF
        listen_addresses = '127.0.0.1'
        port = \(port)
        unix_socket_directories = ''
        ssl = on
        ssl_cert_file = '\(folder.file("server.pem"))'
        ssl_key_file = '\(folder.file("server.key"))'
        fsync = on
        CONF
        printf 'hostssl all all 127.0.0.1/32 scram-sha-256\\nhost all all 127.0.0.1/32 scram-sha-256\\n' > '\(data)/pg_hba.conf'
        \(geteuid() == 0 ? "chown -R postgres:postgres '\(folder.path)'" : "true")
        """
        guard system(script) == 0 else {
            throw StartError(description: "initdb failed: \(String(decoding: readFile(folder.file("initdb.log")) ?? [], as: UTF8.self).suffix(600))")
        }
        try launch()
    }

    static func binaries() -> String? {
        for version in (12...20).reversed() where access("/usr/lib/postgresql/\(version)/bin/postgres", X_OK) == 0 {
            return "/usr/lib/postgresql/\(version)/bin"
        }
        return nil
    }

    private func launch() throws {
        let process: ChildProcess
        if geteuid() == 0 {
            process = try ChildProcess("/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "\(bin)/postgres", "-D", data], ownGroup: true)
        } else {
            process = try ChildProcess("\(bin)/postgres", ["-D", data], ownGroup: true)
        }
        child = process
        process.killAtExit()
        guard process.waitForError(containing: "ready to accept connections", timeout: .seconds(30)) != nil else {
            throw StartError(description: "PostgreSQL did not start: \(process.standardError.suffix(800))")
        }
    }

    /// Runs SQL as the superuser through `psql` (for set-up: a database, another user).
    package func psql(_ sql: String, database: String = "postgres") -> Int32 {
        let command = "PGPASSWORD='\(Self.password)' '\(bin)/psql' -h 127.0.0.1 -p \(port) -U \(Self.user) -d \(database) -v ON_ERROR_STOP=1 -q -c \"\(sql)\" >/dev/null 2>&1"
        return system(command)
    }

    /// Kills the server and its backends (`SIGKILL` to the process group: an outage, not a
    /// shutdown) and waits until every one is gone: a restart on the same data refuses while a
    /// backend still holds its shared memory.
    package func stopNow() {
        child?.signalGroup(SIGKILL)
        child?.forgetAtExit()
        child = nil
    }

    package func restartNow() throws {
        stopNow()
        try launch()
    }

    deinit { stopNow() }
}
