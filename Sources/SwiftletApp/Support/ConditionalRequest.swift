import HTTPCore

/// The request fields that choose a representation: `Accept-Encoding` (RFC 9110 §12.5.3) and
/// `If-None-Match` (RFC 9110 §13.1.2).
enum ConditionalRequest {
    /// Whether `Accept-Encoding` accepts gzip: `gzip` or `*` listed with a q-value above 0.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        // What browsers and curl send ("gzip, deflate, br", "gzip"): no q-values, gzip listed.
        if !header.utf8.contains(UInt8(ascii: ";")) && !header.utf8.contains(UInt8(ascii: "*")) {
            return header.utf8.split(separator: UInt8(ascii: ",")).contains { item in
                let token = item.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.prefix { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
                return equalsIgnoringCase(token, "gzip") || equalsIgnoringCase(token, "x-gzip")
            }
        }
        var gzip: Bool?
        var any: Bool?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            let coding = parts[0].trimmingWhitespace().lowercased()
            var quality = true
            for parameter in parts.dropFirst() {
                let pair = parameter.trimmingWhitespace()
                if pair.lowercased().hasPrefix("q="), let value = Double(pair.dropFirst(2)) { quality = value > 0 }
            }
            if coding == "gzip" || coding == "x-gzip" { gzip = quality } else if coding == "*" { any = quality }
        }
        return gzip ?? any ?? false
    }

    /// ASCII comparison ignoring case (content codings are case-insensitive, RFC 9110 §8.4.1).
    static func equalsIgnoringCase(_ bytes: some Collection<UInt8>, _ word: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        return bytes.count == expected.count && zip(bytes, expected).allSatisfy { $0 | 0x20 == $1 }
    }

    /// Whether `If-None-Match` names one of `tags` (weak comparison, as RFC 9110 §13.1.2 requires) or is `*`.
    static func noneMatchHits(_ header: String?, tags: [String]) -> Bool {
        guard let header else { return false }
        for item in header.split(separator: ",") {
            var tag = item.trimmingWhitespace()
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tags.contains(where: { $0 == tag }) { return true }
        }
        return false
    }
}
