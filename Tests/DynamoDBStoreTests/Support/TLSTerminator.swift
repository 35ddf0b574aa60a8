import Glibc
import Sockets
import TestSupport

/// stunnel on 127.0.0.1 in front of a plain server, with a certificate for `localhost` issued by a
/// CA this test made (openssl), so that TLS is tested end to end without the network. Stopped by
/// PID when the test is done with it.
final class TLSTerminator: @unchecked Sendable {
    let certificates: TestCertificates
    let folder: TemporaryFolder
    let port: UInt16
    private let child: ChildProcess

    var caFile: String { certificates.caFile }
    var otherCAFile: String { certificates.otherCAFile }

    init(forwardingTo target: UInt16) throws {
        certificates = try TestCertificates()
        folder = certificates.folder
        let dir = folder.path
        let probe = try Socket.listening(on: .ipv4(host: "127.0.0.1", port: 0))
        port = try probe.localAddress().port
        probe.close()
        folder.write("stunnel.conf", Array("""
        foreground = yes
        pid =
        [moto]
        accept = 127.0.0.1:\(port)
        connect = 127.0.0.1:\(target)
        cert = \(dir)/server.pem
        key = \(dir)/server.key

        """.utf8))
        child = try ChildProcess("/usr/bin/stunnel4", [folder.file("stunnel.conf")])
        // Ready when it accepts a connection.
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let socket = try? Socket.connect(to: .ipv4(host: "127.0.0.1", port: port), timeoutMilliseconds: 100) {
                socket.close()
                return
            }
            if child.wait(timeout: .milliseconds(20)) != nil { break }
        }
        throw TestCertificates.SetupError(description: "stunnel did not start: \(child.standardError)")
    }

    deinit {
        child.signal(SIGKILL)
        child.wait()
    }
}
