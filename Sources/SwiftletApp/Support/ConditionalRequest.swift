import HTTPCore
import HTTPTypes

/// The request fields that choose a representation: `Accept-Encoding` (RFC 9110 §12.5.3) and
/// `If-None-Match` (RFC 9110 §13.1.2).
enum ConditionalRequest {
    /// Whether `request`'s `Accept-Encoding` fields, joined as one list (RFC 9110 §5.3), accept gzip.
    static func acceptsGzip(_ request: Request) -> Bool {
        var acceptEncoding: String?
        for field in request.head.headerFields where field.name == .acceptEncoding {
            acceptEncoding = acceptEncoding.map { $0 + ", " + field.value } ?? field.value
        }
        return acceptsGzip(acceptEncoding)
    }

    /// Whether `Accept-Encoding` accepts gzip: `gzip` or `*` listed with a q-value above 0.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        // What browsers and curl send ("gzip, deflate, br", "gzip"): no q-values, gzip listed.
        var text = header
        let plain: Bool? = text.withUTF8 { bytes in
            guard !bytes.contains(UInt8(ascii: ";")), !bytes.contains(UInt8(ascii: "*")) else { return nil }
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != UInt8(ascii: ",") { end += 1 }
                var first = start, last = end
                while first < last && (bytes[first] == UInt8(ascii: " ") || bytes[first] == UInt8(ascii: "\t")) { first += 1 }
                while last > first && (bytes[last - 1] == UInt8(ascii: " ") || bytes[last - 1] == UInt8(ascii: "\t")) { last -= 1 }
                let coding = UnsafeBufferPointer(rebasing: bytes[first..<last])
                if equalsIgnoringCase(coding, "gzip") || equalsIgnoringCase(coding, "x-gzip") { return true }
                start = end + 1
            }
            return false
        }
        if let plain { return plain }
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
    static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        let expected = word.utf8Start
        for index in 0..<bytes.count where bytes[index] | 0x20 != expected[index] { return false }
        return true
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
