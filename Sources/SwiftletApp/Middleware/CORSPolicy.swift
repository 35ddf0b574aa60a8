import HTTPCore
import HTTPTypes

/// Cross-origin access to the visits API (`/api/*`) for pages served from other sites, as the
/// Fetch standard's CORS protocol has it ("CORS protocol", fetch.spec.whatwg.org §3.2):
/// - a request whose `Origin` is allowed gets `Access-Control-Allow-Origin` with that origin
///   (or `*` when every origin is), and `Access-Control-Expose-Headers: X-Request-Id`;
/// - a preflight (`OPTIONS` with `Access-Control-Request-Method`) from an allowed origin is
///   answered 204 with the methods, the requested headers that are allowed, and a max age; one
///   from another origin is refused (403) with no CORS headers, so the browser blocks the call;
/// - `Vary: Origin` on every API answer when the answer depends on the origin, so that a cache
///   never hands one site's answer to another;
/// - never `Access-Control-Allow-Credentials`: the API needs no cookies, and credentials with `*`
///   are what the standard forbids.
///
/// Set in one layer only: a Function URL with CORS settings of its own answers preflights itself
/// and adds the same headers, and a browser refuses an answer with two `Access-Control-Allow-Origin`.
package struct CORSPolicy: Sendable, Equatable {
    /// Every origin (`*`), or these, as browsers send them (`https://example.com:8443`).
    package enum Origins: Sendable, Equatable {
        case any
        case list(Set<String>)
    }

    package let origins: Origins

    /// Methods the API answers cross-origin, and the same as `Access-Control-Allow-Methods` sends them.
    static let allowedMethods = ["GET", "HEAD", "POST"]
    static let methods = allowedMethods.joined(separator: ", ")
    /// Request headers a cross-origin caller may send beyond the CORS-safelisted ones.
    static let allowedRequestHeaders: Set<String> = ["content-type"]
    /// How long a browser may reuse a preflight's answer (Chromium caps it at 2 hours).
    static let maxAgeSeconds = "600"

    static let allowOrigin = HTTPField.Name(literal: "Access-Control-Allow-Origin")
    static let allowMethods = HTTPField.Name(literal: "Access-Control-Allow-Methods")
    static let allowHeaders = HTTPField.Name(literal: "Access-Control-Allow-Headers")
    static let maxAge = HTTPField.Name(literal: "Access-Control-Max-Age")
    static let exposeHeaders = HTTPField.Name(literal: "Access-Control-Expose-Headers")
    static let requestMethod = HTTPField.Name(literal: "Access-Control-Request-Method")
    static let requestHeaders = HTTPField.Name(literal: "Access-Control-Request-Headers")
    static let origin = HTTPField.Name(literal: "Origin")

    /// Why `SWIFTLET_CORS_ORIGINS` cannot be used.
    package struct InvalidOrigin: Error, CustomStringConvertible {
        package let value: String
        package var description: String {
            "'\(value)' is not an origin: expected * or scheme://host[:port] (http or https, no path), comma-separated"
        }
    }

    /// `*`, or a comma-separated list of origins (`https://a.example,http://localhost:3000`).
    package init(parsing text: String) throws(InvalidOrigin) {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0.trimmingWhitespace()) }
        if items == ["*"] {
            origins = .any
            return
        }
        var set = Set<String>()
        for item in items {
            guard let origin = Self.normalized(item) else { throw InvalidOrigin(value: item) }
            set.insert(origin)
        }
        origins = .list(set)
    }

    /// `text` as the serialized origin a browser sends (lower-case scheme and host, no default
    /// port is dropped: browsers send the port only when it is not the default), or `nil`.
    static func normalized(_ text: String) -> String? {
        let lower = text.lowercased()
        let scheme: String
        if lower.hasPrefix("https://") { scheme = "https://" } else if lower.hasPrefix("http://") { scheme = "http://" } else { return nil }
        let rest = lower.dropFirst(scheme.count)
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("?"), !rest.contains("#"), !rest.contains("@") else { return nil }
        var host = rest[...]
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            let port = rest[rest.index(after: colon)...]
            guard let number = Int(port), (1...65535).contains(number) else { return nil }
            host = rest[..<colon]
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || "-.[]:".contains($0) }) else { return nil }
        return lower
    }

    /// Whether CORS applies to `request` at all: the API's paths.
    static func covers(_ request: Request) -> Bool {
        AppRoutes.isAPI(request.path)
    }

    /// The value for `Access-Control-Allow-Origin` when `origin` may call, else `nil`.
    func allowedOrigin(_ origin: String) -> String? {
        switch origins {
        case .any: "*"
        case .list(let set): set.contains(origin.lowercased()) ? origin : nil
        }
    }

    /// The answer to a preflight, or `nil` when `request` is not one; a refused one throws the 403.
    func preflight(_ request: Request) throws(HTTPError) -> Response? {
        guard request.head.method == .options, Self.covers(request),
              let origin = request.head.headerFields[Self.origin],
              let method = request.head.headerFields[Self.requestMethod] else { return nil }
        var fields = HTTPFields()
        fields[.vary] = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
        fields[.cacheControl] = "no-store"
        guard let allowed = allowedOrigin(origin), Self.allowedMethods.contains(method) else {
            throw HTTPError(.forbidden, message: "This origin may not call this API.", headerFields: fields)
        }
        fields[Self.allowOrigin] = allowed
        fields[Self.allowMethods] = Self.methods
        if let requested = request.head.headerFields[Self.requestHeaders] {
            let granted = requested.split(separator: ",").map { $0.trimmingWhitespace().lowercased() }.filter { Self.allowedRequestHeaders.contains($0) }
            if !granted.isEmpty { fields[Self.allowHeaders] = granted.joined(separator: ", ") }
        }
        fields[Self.maxAge] = Self.maxAgeSeconds
        return Response(status: .noContent, headerFields: fields, body: .empty)
    }

    /// Adds the CORS headers an API answer to `request` needs.
    func decorate(_ response: inout Response, for request: Request) {
        guard Self.covers(request), !response.head.headerFields.contains(where: { $0.name == Self.allowOrigin || $0.name == .vary && $0.value.contains("Origin") }) else { return }
        if case .list = origins { response.head.headerFields.append(HTTPField(name: .vary, value: "Origin")) }
        guard let origin = request.head.headerFields[Self.origin], let allowed = allowedOrigin(origin) else { return }
        response.head.headerFields.append(HTTPField(name: Self.allowOrigin, value: allowed))
        response.head.headerFields.append(HTTPField(name: Self.exposeHeaders, value: "X-Request-Id"))
    }
}
