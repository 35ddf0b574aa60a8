import COpenSSL
import Glibc
import Synchronization

/// The TLS settings every connection of a client shares: TLS 1.2 or later, the peer's chain
/// verified against the trust store (the system's, or `AWS_CA_BUNDLE`'s file, the variable the AWS
/// SDKs read). Made on the first connection, not at start: a Lambda cold start never waits for it.
package final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer
    /// Whether the peer's chain and name are checked.
    let verifiesPeer: Bool

    /// Where the trust store is, in this order: the file given (`AWS_CA_BUNDLE`), OpenSSL's own
    /// default (`SSL_CERT_FILE`, `SSL_CERT_DIR`, its build's folder), and the bundles of the
    /// distributions this binary runs on: Debian here, Amazon Linux 2023 under Lambda (a libssl
    /// linked statically on Debian looks in Debian's place, which al2023 does not have).
    static let systemBundles = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"]

    /// `verifyPeer: false` encrypts without checking who answers: PostgreSQL's `sslmode=require`,
    /// which libpq documents as protection against eavesdropping only, never the default.
    package init(caBundle: String? = nil, verifyPeer: Bool = true) throws(HTTPClientError) {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw .tls("cannot create a TLS context: \(Self.lastError())") }
        self.context = context
        SSL_CTX_set_verify(context, verifyPeer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
        self.verifiesPeer = verifyPeer
        _ = swiftlet_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION)
        _ = swiftlet_SSL_CTX_set_mode(context, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER))
        if let caBundle {
            guard SSL_CTX_load_verify_locations(context, caBundle, nil) == 1 else {
                throw .tls("cannot read the CA bundle \(caBundle): \(Self.lastError())")
            }
        } else {
            _ = SSL_CTX_set_default_verify_paths(context)
            for bundle in Self.systemBundles where access(bundle, R_OK) == 0 {
                _ = SSL_CTX_load_verify_locations(context, bundle, nil)
                break
            }
            ERR_clear_error()
        }
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// OpenSSL's error queue as one line, emptied.
    static func lastError() -> String {
        var parts: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            parts.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return parts.isEmpty ? "no detail" : parts.joined(separator: "; ")
    }
}
