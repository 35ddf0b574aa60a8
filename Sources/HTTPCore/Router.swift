import Glibc
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
        var request = request
        return try await handlers(for: &request).waiting(request)
    }

    public func respondImmediately(to request: inout Request) throws -> Response? {
        guard let immediate = try handlers(for: &request).immediate else { return nil }
        return try immediate(request)
    }

    /// No route for the path, or none for the method: 404 or 405, whatever the body.
    public func refusesRegardlessOfBody(_ request: Request) -> Bool {
        var request = request
        return (try? handlers(for: &request)) == nil
    }

    /// The handlers of the matching route and method, with the path parameters put in `request`;
    /// throws 404 or 405.
    private func handlers(for request: inout Request) throws(HTTPError) -> RouterBuilder.Handlers {
        let path = request.path
        if let route = staticRoutes[Self.normalized(path)] {
            return try Self.handlers(of: route, for: request.head.method)
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        for route in patternRoutes {
            if let parameters = route.pattern.match(parts) {
                request.parameters = parameters
                return try Self.handlers(of: route, for: request.head.method)
            }
        }
        throw HTTPError(.notFound)
    }

    private static func handlers(of route: RouterBuilder.Route, for method: HTTPRequest.Method) throws(HTTPError) -> RouterBuilder.Handlers {
        if let handlers = route.handlers(for: method) ?? (method == .head ? route.handlers(for: .get) : nil) {
            return handlers
        }
        throw HTTPError.methodNotAllowed(allowed: allowed(route))
    }

    /// The methods a route answers, with `HEAD` wherever `GET` is, in a stable order.
    static func allowed(_ route: RouterBuilder.Route) -> [HTTPRequest.Method] {
        var methods = Set(route.handlers.map(\.method.rawValue))
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted().compactMap { HTTPRequest.Method($0) }
    }

    /// `/a/b/` and `//a/b` look up as `/a/b`; `/` stays `/`.
    static func normalized(_ path: Substring) -> String {
        var path = path
        let clean = path.withUTF8 { bytes in
            guard let base = bytes.baseAddress, let last = bytes.last else { return true }
            if last == UInt8(ascii: "/") && bytes.count > 1 { return false }
            // From one '/' to the next with memchr: a path has few, and none may follow another.
            var index = 0
            while let found = memchr(base + index, Int32(UInt8(ascii: "/")), bytes.count - index) {
                let slash = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                if slash + 1 < bytes.count && bytes[slash + 1] == UInt8(ascii: "/") { return false }
                index = slash + 1
                if index >= bytes.count { break }
            }
            return true
        }
        if clean { return String(path) }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return "/" + parts.joined(separator: "/")
    }
}
