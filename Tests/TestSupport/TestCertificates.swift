import Glibc

/// A CA this test run made (openssl), a certificate it issued for `localhost`, and a second CA
/// that issued nothing: what a TLS test needs to see a trusted server, an untrusted one and a
/// wrong name, with no network. Kept in `folder` until the test is done with it.
package struct TestCertificates {
    package let folder: TemporaryFolder

    package var caFile: String { folder.file("ca.pem") }
    package var otherCAFile: String { folder.file("other-ca.pem") }
    package var certificateFile: String { folder.file("server.pem") }
    package var keyFile: String { folder.file("server.key") }

    package struct SetupError: Error, CustomStringConvertible {
        package let description: String
        package init(description: String) { self.description = description }
    }

    package init() throws {
        folder = TemporaryFolder()
        let script = """
        set -e
        cd '\(folder.path)'
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/CN=Swiftlet Test CA' 2>/dev/null
        openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 2 -subj '/CN=Someone Else CA' 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=localhost' 2>/dev/null
        printf 'subjectAltName=DNS:localhost\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > ext.cnf
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf 2>/dev/null
        chmod 644 server.key
        """
        guard system(script) == 0 else { throw SetupError(description: "openssl could not make the test CA (bash scripts/setup --test)") }
    }
}
