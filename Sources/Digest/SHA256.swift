import COpenSSL

/// SHA-256 and HMAC-SHA256 from OpenSSL's libcrypto, which the binary links for TLS anyway: asset
/// names and ETags (SwiftletApp) and SigV4 signatures (DynamoDBStore) hash with the same code.
package enum SHA256 {
    package static func hash(_ bytes: [UInt8]) -> [UInt8] {
        evpDigest(bytes, EVP_sha256(), length: 32)
    }

    package static func hmac(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            data.withUnsafeBytes { input in
                digest.withUnsafeMutableBufferPointer {
                    HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count), input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count, $0.baseAddress, &length)
                }
            }
        }
        precondition(result != nil && length == 32, "HMAC-SHA256 failed")
        return digest
    }
}

extension SHA256 {
    /// PBKDF2 with HMAC-SHA256 (RFC 8018 §5.2), 32 bytes: SCRAM-SHA-256's `SaltedPassword`
    /// (RFC 7677, RFC 5802 §3).
    package static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        var key = [UInt8](repeating: 0, count: 32)
        let ok = password.withUnsafeBytes { passwordBytes in
            salt.withUnsafeBufferPointer { saltBytes in
                key.withUnsafeMutableBufferPointer { out in
                    PKCS5_PBKDF2_HMAC(passwordBytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(passwordBytes.count),
                                      saltBytes.baseAddress, Int32(saltBytes.count), Int32(iterations), EVP_sha256(), 32, out.baseAddress)
                }
            }
        }
        precondition(ok == 1, "PKCS5_PBKDF2_HMAC failed")
        return key
    }
}

/// MD5, for PostgreSQL's `md5` password authentication only (old servers and old `pg_hba.conf`
/// lines), never for anything that must resist an attacker.
package enum MD5 {
    package static func hash(_ bytes: [UInt8]) -> [UInt8] {
        evpDigest(bytes, EVP_md5(), length: 16)
    }
}

/// One of libcrypto's digests of `bytes`, `length` bytes long.
private func evpDigest(_ bytes: [UInt8], _ type: OpaquePointer?, length expected: Int) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: expected)
    var length: UInt32 = 0
    let ok = bytes.withUnsafeBytes { input in
        digest.withUnsafeMutableBufferPointer { EVP_Digest(input.baseAddress, input.count, $0.baseAddress, &length, type, nil) }
    }
    precondition(ok == 1 && Int(length) == expected, "EVP_Digest failed")
    return digest
}
