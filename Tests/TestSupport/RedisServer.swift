import Glibc
internal import Sockets

/// Debian's `redis-server` on free loopback ports, for the Redis store's tests: a plain port and
/// a TLS port (certificates from `TestCertificates`), an ACL user with a password and the default
/// user off, so that every connection must authenticate; and the append-only file synced on every
/// write, so that an increment Redis answered survives `kill -9` as it would survive a failover.
/// Stopped by PID (`stop()`, or when it is released); `restart()` brings it back on the same ports
/// and files.
package final class RedisServer: @unchecked Sendable {
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
        try start()
    }

    package struct StartError: Error, CustomStringConvertible {
        package let description: String
    }

    private func start() throws {
        guard access("/usr/bin/redis-server", X_OK) == 0 else {
            throw StartError(description: "redis-server is not installed (bash scripts/setup --test)")
        }
        let process = try ChildProcess("/usr/bin/redis-server", [folder.file("redis.conf")])
        child = process
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let socket = try? Socket.connect(to: .ipv4(host: "127.0.0.1", port: port), timeoutMilliseconds: 100) {
                socket.close()
                return
            }
            if process.wait(timeout: .milliseconds(20)) != nil { break }
        }
        throw StartError(description: "redis-server did not start: \(process.standardOutput.suffix(800)) \(process.standardError.suffix(400))")
    }

    /// Kills the server (`SIGKILL`: an outage, not a shutdown) and waits for it to be gone.
    package func stop() {
        child?.signal(SIGKILL)
        child?.wait(timeout: .seconds(5))
        child = nil
    }

    /// Starts it again on the same ports and files.
    package func restart() throws {
        stop()
        try start()
    }

    static func freePort() throws -> UInt16 {
        let probe = try Socket.listening(on: .ipv4(host: "127.0.0.1", port: 0))
        defer { probe.close() }
        return try probe.localAddress().port
    }

    deinit { stop() }
}
