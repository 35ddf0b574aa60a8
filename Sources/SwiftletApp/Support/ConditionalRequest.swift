/// The request fields that choose a representation: `Accept-Encoding` (RFC 9110 §12.5.3) and
/// `If-None-Match` (RFC 9110 §13.1.2).
enum ConditionalRequest {
    /// Whether `Accept-Encoding` accepts gzip: `gzip` or `*` listed with a q-value above 0.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var gzip: Bool?
        var any: Bool?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            let coding = parts[0].trimmingSpaces.lowercased()
            var quality = true
            for parameter in parts.dropFirst() {
                let pair = parameter.trimmingSpaces
                if pair.lowercased().hasPrefix("q="), let value = Double(pair.dropFirst(2)) { quality = value > 0 }
            }
            if coding == "gzip" || coding == "x-gzip" { gzip = quality } else if coding == "*" { any = quality }
        }
        return gzip ?? any ?? false
    }

    /// Whether `If-None-Match` names one of `tags` (weak comparison, as RFC 9110 §13.1.2 requires) or is `*`.
    static func noneMatchHits(_ header: String?, tags: [String]) -> Bool {
        guard let header else { return false }
        for item in header.split(separator: ",") {
            var tag = item.trimmingSpaces
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tags.contains(where: { $0 == tag }) { return true }
        }
        return false
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
