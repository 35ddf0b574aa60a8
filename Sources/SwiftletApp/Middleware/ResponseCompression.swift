import HTTPCore
import HTTPTypes

/// gzip for pages and JSON at the origin. CloudFront compresses nothing on a behaviour whose cache
/// policy is CachingDisabled ("Serve compressed files", CloudFront Developer Guide: compression
/// needs a cache policy with gzip or Brotli enabled), so without this every page reached browsers
/// uncompressed. Bodies of 1 KiB or more are compressed when the request accepts gzip (RFC 9110
/// §12.5.3), and every such response says `Vary: Accept-Encoding` (RFC 9110 §12.5.5) so that a
/// cache keeps the two apart. Smaller bodies gain too little for the time it takes (CloudFront's
/// own threshold is 1,000 bytes).
struct ResponseCompression: Middleware {
    static let minimumSize = 1024
    /// zlib's level for a body made per request: most of level 9's saving on HTML at a fraction
    /// of its time (assets, compressed once at start, use 9).
    static let level: Int32 = 5
    static let vary = HTTPField(name: .vary, value: "Accept-Encoding")

    func finish(_ response: inout Response, for request: Request) {
        guard case .bytes(let bytes) = response.body, bytes.count >= Self.minimumSize, Self.isCompressible(response.head) else { return }
        response.head.headerFields.append(Self.vary)
        guard ConditionalRequest.acceptsGzip(request), let compressed = Gzip.compress(bytes, level: Self.level), compressed.count < bytes.count else { return }
        response.head.headerFields.append(HTTPField(name: .contentEncoding, value: "gzip"))
        response.body = .bytes(compressed)
    }

    /// HTML and JSON not already encoded, with a body a status may carry.
    static func isCompressible(_ head: HTTPResponse) -> Bool {
        guard head.status != .noContent, head.status != .notModified else { return false }
        var type: Substring?
        for field in head.headerFields {
            if field.name == .contentEncoding { return false }
            if type == nil, field.name == .contentType { type = field.value[...] }
        }
        guard let type else { return false }
        return type.hasPrefix("text/html") || type.hasPrefix("application/json")
    }
}
