import HTTPCore
import HTTPTypes

/// The headers that keep a browser from doing what no page of ours needs, on every HTML answer
/// (pages and error pages): a strict Content-Security-Policy, no sniffing, no framing, no
/// powerful features; and HSTS when the request came over HTTPS.
struct SecurityHeaders: Middleware {
    /// Built (and validated) once; appended to every HTML response.
    static let fields: [HTTPField] = [
        HTTPField(name: HTTPField.Name(literal: "Content-Security-Policy"), value: "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
        HTTPField(name: HTTPField.Name(literal: "X-Content-Type-Options"), value: "nosniff"),
        HTTPField(name: HTTPField.Name(literal: "Referrer-Policy"), value: "strict-origin-when-cross-origin"),
        HTTPField(name: HTTPField.Name(literal: "X-Frame-Options"), value: "DENY"),
        // No page uses a powerful feature; saying so stops an injected script or frame asking.
        HTTPField(name: HTTPField.Name(literal: "Permissions-Policy"), value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
    ]
    static let names = Set(fields.map(\.name))

    /// HSTS, sent only on a response to a request that came over HTTPS: RFC 6797 §7.2 has a host
    /// ignore it on plain HTTP, and a dev server on `http://localhost` must stay reachable.
    /// One year, the figure browsers' preload lists ask for; no `includeSubDomains`, which would
    /// bind every other host under a custom domain.
    static let strictTransportSecurity = HTTPField(name: HTTPField.Name(literal: "Strict-Transport-Security"), value: "max-age=31536000")

    static let forwardedProto = HTTPField.Name(literal: "X-Forwarded-Proto")

    /// The fields of an HTML page that must not be cached, with the security headers: built once,
    /// so that a page's answer needs no appending here.
    static let htmlFields: HTTPFields = {
        var fields = HTTPFields()
        fields[.contentType] = "text/html; charset=utf-8"
        fields.append(AppRoutes.noStore)
        fields.append(contentsOf: Self.fields)
        return fields
    }()

    func finish(_ response: inout Response, for request: Request) {
        // The first Content-Type field, without the joining copy the subscript makes; its first
        // byte rules out most at once.
        guard let type = response.head.headerFields.first(where: { $0.name == .contentType })?.value,
              type.utf8.first == UInt8(ascii: "t"), type.hasPrefix("text/html") else { return }
        // Pages built from `htmlFields` carry the set already; anything else HTML gets it here,
        // replacing any of the same names.
        if !response.head.headerFields.contains(where: { $0.name == Self.fields[0].name }) {
            var fields = response.head.headerFields
            if fields.contains(where: { Self.names.contains($0.name) }) {
                fields = HTTPFields(fields.filter { !Self.names.contains($0.name) })
            }
            fields.append(contentsOf: Self.fields)
            response.head.headerFields = fields
        }
        if Self.cameOverHTTPS(request) { response.head.headerFields.append(Self.strictTransportSecurity) }
    }

    /// Whether `request` reached us over TLS: a Function URL event always did (its scheme is
    /// `https`), and a proxy in front of the dev server says so in `X-Forwarded-Proto`.
    static func cameOverHTTPS(_ request: Request) -> Bool {
        if request.head.scheme == "https" { return true }
        guard let proto = request.head.headerFields.first(where: { $0.name == forwardedProto })?.value else { return false }
        let first = proto.split(separator: ",", maxSplits: 1).first ?? ""
        return first.trimmingWhitespace().lowercased() == "https"
    }
}
