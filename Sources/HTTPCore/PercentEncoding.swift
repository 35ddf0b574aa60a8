/// Percent-encoding of the bytes a URI component may not hold as they are (RFC 3986 §2.1), with
/// uppercase hex digits, as SigV4 requires. The twin of `PercentDecoding`.
public enum PercentEncoding {
    /// Unreserved characters only (RFC 3986 §2.3): what SigV4 leaves alone, and what a path
    /// segment made from arbitrary text may safely hold.
    public static let unreserved: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))
    /// Unreserved, sub-delims, `:`, `@`, `/` and `%` (a path that may already hold escapes).
    public static let pathBytes: Set<UInt8> = unreserved.union(Array("!$&'()*+,;=:@/%".utf8))
    /// Unreserved and the sub-delims that cannot split a query's pairs.
    public static let queryBytes: Set<UInt8> = unreserved.union(Array("!$'()*,:@/".utf8))

    /// `text` with every byte not in `allowed` written as `%XX`.
    public static func encode(_ text: String, keeping allowed: Set<UInt8> = unreserved) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if allowed.contains(byte) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
