import HTTPCore
import HTTPTypes
import Logging
import VisitStore
import Timekeeping

/// Wraps every request: gives it an id, turns errors into pages (JSON under `/api/`), gzips pages
/// and JSON (`ResponseCompression`), adds the security headers to HTML, and writes one access log line.
///
/// A store failure becomes 503 and anything unexpected 500; neither shows internals to the
/// client, both are logged with the request id that the response carries too.
struct AppMiddleware: Middleware {
    let pages: PageTemplates
    let logger: Logger
    /// Cross-origin access to the API, when `SWIFTLET_CORS_ORIGINS` is set: its headers go on every
    /// API answer, errors included (`CORSPreflight` answers the preflights).
    var cors: CORSPolicy?
    let ids = RequestIDGenerator()

    /// Built (and validated) once; appended to every HTML response.
    static let securityHeaders: [HTTPField] = [
        HTTPField(name: HTTPField.Name("Content-Security-Policy")!, value: "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
        HTTPField(name: HTTPField.Name("X-Content-Type-Options")!, value: "nosniff"),
        HTTPField(name: HTTPField.Name("Referrer-Policy")!, value: "strict-origin-when-cross-origin"),
        HTTPField(name: HTTPField.Name("X-Frame-Options")!, value: "DENY"),
        // No page uses a powerful feature; saying so stops an injected script or frame asking.
        HTTPField(name: HTTPField.Name("Permissions-Policy")!, value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
    ]

    /// HSTS, sent only on a response to a request that came over HTTPS: RFC 6797 §7.2 has a host
    /// ignore it on plain HTTP, and a dev server on `http://localhost` must stay reachable.
    /// One year, the figure browsers' preload lists ask for; no `includeSubDomains`, which would
    /// bind every other host under a custom domain.
    static let strictTransportSecurity = HTTPField(name: HTTPField.Name("Strict-Transport-Security")!, value: "max-age=31536000")

    /// Whether `request` reached us over TLS: a Function URL event always did (its scheme is
    /// `https`), and a proxy in front of the dev server says so in `X-Forwarded-Proto`.
    static func cameOverHTTPS(_ request: Request) -> Bool {
        if request.head.scheme == "https" { return true }
        guard let proto = request.head.headerFields.first(where: { $0.name == forwardedProto })?.value else { return false }
        let first = proto.split(separator: ",", maxSplits: 1).first ?? ""
        return first.trimmingWhitespace().lowercased() == "https"
    }

    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let securityHeaderNames = Set(securityHeaders.map(\.name))

    /// The fields of an HTML page that must not be cached, with the security headers: built once.
    static let htmlFields: HTTPFields = {
        var fields = HTTPFields()
        fields[.contentType] = "text/html; charset=utf-8"
        fields.append(AppRoutes.noStore)
        fields.append(contentsOf: securityHeaders)
        return fields
    }()

    func respond(to request: Request, next: any HTTPResponder) async throws -> Response {
        var request = request
        let start = begin(&request)
        let result: Result<Response, any Error>
        do {
            result = .success(try await next.respond(to: request))
        } catch {
            result = .failure(error)
        }
        return finish(result, for: request, start: start)
    }

    func respondImmediately(to request: inout Request, next: any HTTPResponder) throws -> Response? {
        let start = begin(&request)
        let result: Result<Response, any Error>
        do {
            guard let response = try next.respondImmediately(to: &request) else { return nil }
            result = .success(response)
        } catch {
            result = .failure(error)
        }
        return finish(result, for: request, start: start)
    }

    /// Gives the request its id (once: a request sent on to `respond` after `respondImmediately`
    /// keeps it) and returns when it started, if the access log is on.
    private func begin(_ request: inout Request) -> MonotonicTime? {
        if request.requestID == nil { request.requestID = ids.next() }
        return logger.logLevel <= .info ? .now() : nil
    }

    /// The response the client gets: errors rendered, the request id and security headers added,
    /// and the access log line written.
    private func finish(_ result: Result<Response, any Error>, for request: Request, start: MonotonicTime?) -> Response {
        let id = request.requestID ?? ""
        var response: Response
        switch result {
        case .success(let answer):
            response = answer
        case .failure(let error as HTTPError):
            response = errorPage(for: request, status: error.status, message: error.message)
            response.head.headerFields.append(contentsOf: error.headerFields)
        case .failure(let error as VisitStoreError):
            logger.error("visit store failed", metadata: ["request_id": "\(id)", "error": "\(error)"])
            response = errorPage(for: request, status: .serviceUnavailable, message: "The visit counter is unavailable right now. Please try again shortly.")
        case .failure(let error):
            logger.error("request failed", metadata: ["request_id": "\(id)", "error": "\(error)"])
            response = errorPage(for: request, status: .internalServerError, message: "Something went wrong on our side.")
        }
        response.requestID = id // sent as X-Request-Id by the front-end, without copying shared fields
        cors?.decorate(&response, for: request)
        ResponseCompression.apply(to: &response, for: request)
        // The first Content-Type field, without the joining copy the subscript makes.
        // Pages built from `htmlFields` carry the set already; anything else HTML gets it here.
        if let type = response.head.headerFields.first(where: { $0.name == .contentType })?.value,
           type.utf8.first == UInt8(ascii: "t"), type.hasPrefix("text/html") { // the first byte rules out most at once
            if !response.head.headerFields.contains(where: { $0.name == Self.securityHeaders[0].name }) {
                var fields = response.head.headerFields
                if fields.contains(where: { Self.securityHeaderNames.contains($0.name) }) {
                    fields = HTTPFields(fields.filter { !Self.securityHeaderNames.contains($0.name) })
                }
                fields.append(contentsOf: Self.securityHeaders)
                response.head.headerFields = fields
            }
            if Self.cameOverHTTPS(request) { response.head.headerFields.append(Self.strictTransportSecurity) }
        }
        if let start {
            let elapsed = MonotonicTime.now() - start
            logger.info("\(request.head.method.rawValue) \(request.head.path ?? "/") \(response.head.status.code)", metadata: [
                "request_id": "\(id)",
                "bytes": "\(response.body.count.map(String.init) ?? "stream")",
                "us": "\(elapsed.microseconds)",
                "peer": "\(request.peer ?? "-")",
            ])
        }
        return response
    }

    /// An error answer: JSON for API clients and `/health`, an HTML page from `error` or
    /// `not-found` for people.
    func errorPage(for request: Request, status: HTTPResponse.Status, message: String) -> Response {
        let id = request.requestID ?? ""
        let path = request.path
        var response: Response
        if AppRoutes.isAPI(path) || path == "/health" {
            let body = JSONText.object([("error", JSONText.string(message)), ("status", String(status.code)), ("requestId", JSONText.string(id))])
            response = Response.json(body, status: status)
        } else {
            let template = status == .notFound ? "not-found" : "error"
            let html = pages.render(template, PageContext.error(status: status.code, title: status.reasonPhrase, message: message, requestID: id, path: String(path)))
            response = Response(status: status, contentType: "text/html; charset=utf-8", bytes: html)
        }
        response.head.headerFields.append(AppRoutes.noStore)
        return response
    }
}
