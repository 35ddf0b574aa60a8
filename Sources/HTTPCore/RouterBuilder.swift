public import HTTPTypes

/// Collects routes and middleware, then `build()`s an immutable `Router`. Routes are tried in the
/// order they were added, after exact matches of parameter-free paths.
public struct RouterBuilder: Sendable {
    public typealias Handler = @Sendable (Request) async throws -> Response

    struct Route: Sendable {
        let pattern: RoutePattern
        var handlers: [HTTPRequest.Method: Handler]
    }

    var routes: [Route] = []
    var middleware: [any Middleware] = []

    public init() {}

    /// Answers `method` on `path` with `handler`. `path` may hold `:name` segments and a final `*`.
    public mutating func on(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        let pattern = RoutePattern(path)
        if let index = routes.firstIndex(where: { $0.pattern == pattern }) {
            routes[index].handlers[method] = handler
        } else {
            routes.append(Route(pattern: pattern, handlers: [method: handler]))
        }
    }

    public mutating func get(_ path: String, _ handler: @escaping Handler) { on(.get, path, handler) }
    public mutating func post(_ path: String, _ handler: @escaping Handler) { on(.post, path, handler) }
    public mutating func put(_ path: String, _ handler: @escaping Handler) { on(.put, path, handler) }
    public mutating func delete(_ path: String, _ handler: @escaping Handler) { on(.delete, path, handler) }

    /// Runs `middleware` around every request, outermost first in the order added.
    public mutating func use(_ middleware: any Middleware) {
        self.middleware.append(middleware)
    }

    /// The router, wrapped in the middleware.
    public func build() -> any HTTPResponder {
        var responder: any HTTPResponder = Router(routes: routes)
        for layer in middleware.reversed() {
            responder = MiddlewareResponder(layer, next: responder)
        }
        return responder
    }
}
