import HTTPTypes

/// Finds the handler for a request by method and path. Built by `RouterBuilder`, then immutable.
///
/// `HEAD` is answered by the `GET` handler when there is no `HEAD` route (front-ends drop the body
/// and keep its length, RFC 9110 §9.3.2). A path that matches with another method throws 405 with
/// `Allow`; no match throws 404. Both are `HTTPError`s, so an app middleware can render them.
public struct Router: HTTPResponder {
    private let staticRoutes: [String: RouterBuilder.Route]
    private let patternRoutes: [RouterBuilder.Route]

    init(routes: [RouterBuilder.Route]) {
        var statics: [String: RouterBuilder.Route] = [:]
        var patterns: [RouterBuilder.Route] = []
        for route in routes {
            if route.pattern.isStatic {
                statics[route.pattern.staticKey] = route
            } else {
                patterns.append(route)
            }
        }
        self.staticRoutes = statics
        self.patternRoutes = patterns
    }

    public func respond(to request: Request) async throws -> Response {
        let path = request.path
        if let route = staticRoutes[Self.normalized(path)] {
            return try await dispatch(request, to: route, parameters: [:])
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        for route in patternRoutes {
            if let parameters = route.pattern.match(parts) {
                return try await dispatch(request, to: route, parameters: parameters)
            }
        }
        throw HTTPError(.notFound)
    }

    private func dispatch(_ request: Request, to route: RouterBuilder.Route, parameters: [String: String]) async throws -> Response {
        var request = request
        request.parameters = parameters
        let method = request.head.method
        if let handler = route.handlers[method] ?? (method == .head ? route.handlers[.get] : nil) {
            return try await handler(request)
        }
        throw HTTPError.methodNotAllowed(allowed: Self.allowed(route))
    }

    /// The methods a route answers, with `HEAD` wherever `GET` is, in a stable order.
    static func allowed(_ route: RouterBuilder.Route) -> [HTTPRequest.Method] {
        var methods = Set(route.handlers.keys.map(\.rawValue))
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted().compactMap { HTTPRequest.Method($0) }
    }

    /// `/a/b/` and `//a/b` look up as `/a/b`; `/` stays `/`.
    static func normalized(_ path: Substring) -> String {
        var previous: UInt8 = 0
        var clean = true
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") && previous == UInt8(ascii: "/") { clean = false; break }
            previous = byte
        }
        if clean && (previous != UInt8(ascii: "/") || path.utf8.count == 1) { return String(path) }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return "/" + parts.joined(separator: "/")
    }
}
