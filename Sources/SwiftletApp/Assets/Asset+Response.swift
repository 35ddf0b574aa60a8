import HTTPCore
package import HTTPTypes

extension Asset {
    /// The two representations of an asset.
    package enum Encoding: Sendable {
        case identity
        case gzip
    }

    /// The fields a response (or an S3 upload) of this asset carries, so the server and
    /// `swiftlet assets` can never disagree.
    package func headerFields(encoding: Encoding, cacheControl: String) -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        fields[.cacheControl] = cacheControl
        fields[.eTag] = encoding == .gzip ? gzipETag : etag
        if gzip != nil { fields[.vary] = "Accept-Encoding" }
        if encoding == .gzip { fields[.contentEncoding] = "gzip" }
        return fields
    }
}

/// An asset with the fields of its two representations built once, since they never change:
/// answering costs a lookup and a copy-on-write copy of the fields.
struct ServedAsset: Sendable {
    let asset: Asset
    let identityFields: HTTPFields
    let gzipFields: HTTPFields
    /// Both representations' validators, which `If-None-Match` may name.
    let etags: [String]

    init(_ asset: Asset, cacheControl: String) {
        self.asset = asset
        identityFields = asset.headerFields(encoding: .identity, cacheControl: cacheControl)
        gzipFields = asset.headerFields(encoding: .gzip, cacheControl: cacheControl)
        etags = [asset.etag, asset.gzipETag]
    }

    /// The answer to `request`: gzip when accepted and smaller, 304 when the client has it.
    @Sendable func response(to request: Request) -> Response {
        var acceptEncoding: String?
        var ifNoneMatch: String?
        for field in request.head.headerFields {
            if field.name == .acceptEncoding {
                acceptEncoding = acceptEncoding.map { $0 + ", " + field.value } ?? field.value
            } else if field.name == .ifNoneMatch {
                ifNoneMatch = ifNoneMatch.map { $0 + ", " + field.value } ?? field.value
            }
        }
        let gzip = asset.gzip != nil && ConditionalRequest.acceptsGzip(acceptEncoding)
        let fields = gzip ? gzipFields : identityFields
        if let ifNoneMatch, ConditionalRequest.noneMatchHits(ifNoneMatch, tags: etags) {
            return Response(status: .notModified, headerFields: fields)
        }
        return Response(status: .ok, headerFields: fields, body: gzip ? .bytes(asset.gzip!) : asset.identityBody)
    }
}
