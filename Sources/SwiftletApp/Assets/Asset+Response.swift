import HTTPCore
public import HTTPTypes

extension Asset {
    /// The two representations of an asset.
    public enum Encoding: Sendable {
        case identity
        case gzip
    }

    /// The fields a response (or an S3 upload) of this asset carries, so the server and
    /// `swiftlet assets` can never disagree.
    public func headerFields(encoding: Encoding, cacheControl: String) -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        fields[.cacheControl] = cacheControl
        fields[.eTag] = encoding == .gzip ? gzipETag : etag
        if gzip != nil { fields[.vary] = "Accept-Encoding" }
        if encoding == .gzip { fields[.contentEncoding] = "gzip" }
        return fields
    }

    /// The answer to `request`: gzip when accepted and smaller, 304 when the client has it.
    func response(to request: Request, cacheControl: String) -> Response {
        let encoding: Encoding = gzip != nil && ConditionalRequest.acceptsGzip(request.head.headerFields[.acceptEncoding]) ? .gzip : .identity
        let fields = headerFields(encoding: encoding, cacheControl: cacheControl)
        if ConditionalRequest.noneMatchHits(request.head.headerFields[.ifNoneMatch], tags: [etag, gzipETag]) {
            return Response(status: .notModified, headerFields: fields)
        }
        switch encoding {
        case .gzip: return Response(status: .ok, headerFields: fields, body: .bytes(gzip!))
        case .identity: return Response(status: .ok, headerFields: fields, body: identityBody)
        }
    }
}
