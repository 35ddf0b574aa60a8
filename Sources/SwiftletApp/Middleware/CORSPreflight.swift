import HTTPCore

/// Answers CORS preflights for the API (`OPTIONS` with `Access-Control-Request-Method`) from the
/// policy, before the router, which has no `OPTIONS` routes. Placed after `OriginVerification`,
/// so that a preflight too must come through CloudFront. A refused one throws its 403, which
/// `AppMiddleware` renders as the API's JSON error.
struct CORSPreflight: Middleware {
    let policy: CORSPolicy

    func respond(to request: Request, next: any HTTPResponder) async throws -> Response {
        if let answer = try policy.preflight(request) { return answer }
        return try await next.respond(to: request)
    }

    func respondImmediately(to request: inout Request, next: any HTTPResponder) throws -> Response? {
        if let answer = try policy.preflight(request) { return answer }
        return try next.respondImmediately(to: &request)
    }
}
