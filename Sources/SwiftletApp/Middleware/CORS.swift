import HTTPCore

/// CORS on the API, from `CORSPolicy`: `prepare` answers preflights (`OPTIONS` with
/// `Access-Control-Request-Method`; the router has no `OPTIONS` routes), and `finish` adds the
/// headers to every API answer, errors included. Placed after `OriginVerification`, so that a
/// preflight too must come through CloudFront. A refused preflight throws its 403, which
/// `ErrorPages` renders as the API's JSON error.
struct CORS: Middleware {
    let policy: CORSPolicy

    func prepare(_ request: inout Request) throws -> Response? {
        try policy.preflight(request)
    }

    func finish(_ response: inout Response, for request: Request) {
        policy.decorate(&response, for: request)
    }
}
