public import HTTPTypes

/// Collects routes and middleware, then `build()`s an immutable `Router`. Routes are tried in the
/// order they were added, after exact matches of parameter-free paths.
public struct RouterBuilder: Sendable {
    public typealias Handler = @Sendable (Request) async throws -> Response
    /// Answers without suspending, or returns `nil` when the route's `Handler` must be awaited
    /// (see `HTTPResponder.respondImmediately(to:)`).
    public typealias ImmediateHandler = @Sendable (Request) throws -> Response?

    /// What one method of a route runs.
    struct Handlers: Sendable {
        var immediate: ImmediateHandler?
        var waiting: Handler
    }

    struct Route: Sendable {
        let pattern: RoutePattern
        /// A handful at most, so a list compared by method beats hashing the method's name.
        var handlers: [(method: HTTPRequest.Method, handlers: Handlers)]

        func handlers(for method: HTTPRequest.Method) -> Handlers? {
            handlers.first { $0.method == method }?.handlers
        }
    }

    var routes: [Route] = []
    var middleware: [any Middleware] = []

    public init() {}

    /// Answers `method` on `path` with `handler`. `path` may hold `:name` segments and a final `*`.
    /// `immediate`, when given, is tried first and must answer as `handler` would whenever it
    /// answers at all; for a handler that never waits, pass the same work as `immediate` alone.
    public mutating func on(_ method: HTTPRequest.Method, _ path: String, immediate: ImmediateHandler? = nil, _ handler: @escaping Handler) {
        let pattern = RoutePattern(path)
        let handlers = Handlers(immediate: immediate, waiting: handler)
        guard let index = routes.firstIndex(where: { $0.pattern == pattern }) else {
            routes.append(Route(pattern: pattern, handlers: [(method, handlers)]))
            return
        }
        if let slot = routes[index].handlers.firstIndex(where: { $0.method == method }) {
            routes[index].handlers[slot].handlers = handlers
        } else {
            routes[index].handlers.append((method, handlers))
        }
    }

    /// Answers `method` on `path` with `handler`, which never waits: the router calls it without
    /// starting a task. A handler closure that does not `await` picks this overload by itself.
    public mutating func on(_ method: HTTPRequest.Method, _ path: String, immediate handler: @escaping @Sendable (Request) throws -> Response) {
        on(method, path, immediate: { request in try handler(request) }, { request in try handler(request) })
    }

    public mutating func get(_ path: String, immediate: ImmediateHandler? = nil, _ handler: @escaping Handler) { on(.get, path, immediate: immediate, handler) }
    public mutating func get(_ path: String, immediate handler: @escaping @Sendable (Request) throws -> Response) { on(.get, path, immediate: handler) }
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
