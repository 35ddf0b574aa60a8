import Glibc
import Sockets
import TestSupport

/// stunnel on 127.0.0.1 in front of a plain server, with a certificate for `localhost` issued by a
/// CA this test made (openssl), so that TLS is tested end to end without the network. Stopped by
/// PID when the test is done with it.
final class TLSTerminator: @unchecked Sendable {
    let folder = TemporaryFolder()
    let port: UInt16
    private let child: ChildProcess

    var caFile: String { folder.file("ca.pem") }
    var otherCAFile: String { folder.file("other-ca.pem") }

    init(forwardingTo target: UInt16) throws {
        let dir = folder.path
        let script = """
        set -e
        cd '\(dir)'
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/CN=Swiftlet Test CA' 2>/dev/null
        openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 2 -subj '/CN=Someone Else CA' 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=localhost' 2>/dev/null
        printf 'subjectAltName=DNS:localhost\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > ext.cnf
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf 2>/dev/null
        """
        guard system(script) == 0 else { throw SetupError("openssl could not make the test CA (bash scripts/setup --test)") }
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
        throw SetupError("stunnel did not start: \(child.standardError)")
    }

    struct SetupError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    deinit {
        child.signal(SIGKILL)
        child.wait()
    }
}
