import Glibc
import Synchronization
internal import Sockets

/// Debian's `redis-server` on free loopback ports, for the Redis store's tests: a plain port and
/// a TLS port (certificates from `TestCertificates`), an ACL user with a password and the default
/// user off, so that every connection must authenticate; and the append-only file synced on every
/// write, so that an increment Redis answered survives `kill -9` as it would survive a failover.
/// Stopped by PID (`stop()`, or when it is released); `restart()` brings it back on the same ports
/// and files.
package final class RedisServer: TestServer, @unchecked Sendable {
    package static let user = "swiftlet"
    package static let password = "test-password-1234"

    package let port: UInt16
    package let tlsPort: UInt16
    package let certificates: TestCertificates
    private let folder: TemporaryFolder
    private var child: ChildProcess?

    package var caFile: String { certificates.caFile }
    package var otherCAFile: String { certificates.otherCAFile }

    package init() throws {
        certificates = try TestCertificates()
        folder = TemporaryFolder()
        port = try Self.freePort()
        tlsPort = try Self.freePort()
        folder.write("redis.conf", Array("""
        bind 127.0.0.1
        port \(port)
        tls-port \(tlsPort)
        tls-cert-file \(certificates.certificateFile)
        tls-key-file \(certificates.keyFile)
        tls-ca-cert-file \(certificates.caFile)
        tls-auth-clients no
        dir \(folder.path)
        save ""
        appendonly yes
        appendfsync always
        daemonize no
        logfile ""
        user default off
        user \(Self.user) on >\(Self.password) ~* &* +@all

        """.utf8))
        try launch()
    }

    package struct StartError: Error, CustomStringConvertible {
        package let description: String
    }

    private func launch() throws {
        guard access("/usr/bin/redis-server", X_OK) == 0 else {
            throw StartError(description: "redis-server is not installed (bash scripts/setup --test)")
        }
        let process = try ChildProcess("/usr/bin/redis-server", [folder.file("redis.conf")])
        child = process
        process.killAtExit()
        // Ready when it says so: it takes connections while it loads its append-only file, and
        // answers every command `-LOADING` until then.
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if process.standardOutput.contains("Ready to accept connections") { return }
            if process.wait(timeout: .milliseconds(20)) != nil { break }
        }
        throw StartError(description: "redis-server did not start: \(process.standardOutput.suffix(800)) \(process.standardError.suffix(400))")
    }

    /// Kills the server (`SIGKILL`: an outage, not a shutdown) and waits for it to be gone.
    package func stopNow() {
        child?.signal(SIGKILL)
        child?.wait(timeout: .seconds(5))
        child?.forgetAtExit()
        child = nil
    }

    /// Starts it again on the same ports and files.
    package func restartNow() throws {
        stopNow()
        try launch()
    }

    static func freePort() throws -> UInt16 {
        let probe = try Socket.listening(on: .ipv4(host: "127.0.0.1", port: 0))
        defer { probe.close() }
        return try probe.localAddress().port
    }

    deinit { stopNow() }
}
