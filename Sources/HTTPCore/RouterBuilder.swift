public import HTTPTypes

/// Collects routes, middleware and an error renderer, then `build()`s an immutable `Router`.
/// Routes are tried in the order they were added, after exact matches of parameter-free paths.
public struct RouterBuilder: Sendable {
    public typealias Handler = @Sendable (Request) async throws -> Response
    /// Answers without suspending, or returns `nil` when the route's `Handler` must be awaited
    /// (see `HTTPResponder.dispatch(_:)`).
    public typealias ImmediateHandler = @Sendable (Request) throws -> Response?

    /// What one method of a route runs.
    enum Handlers: Sendable {
        /// Never waits: called without a task.
        case immediate(@Sendable (Request) throws -> Response)
        /// Tried without a task; awaited when the first says `nil`.
        case either(ImmediateHandler, Handler)
        /// Always awaited.
        case waiting(Handler)
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
    var renderer: any ErrorRenderer = StandardErrorRenderer()

    public init() {}

    /// Answers `method` on `path` with `handler`. `path` may hold `:name` segments and a final `*`.
    /// `immediate`, when given, is tried first and must answer as `handler` would whenever it
    /// answers at all; for a handler that never waits, use the `immediate:`-only overload.
    public mutating func on(_ method: HTTPRequest.Method, _ path: String, immediate: ImmediateHandler? = nil, _ handler: @escaping Handler) {
        add(method, path, immediate.map { .either($0, handler) } ?? .waiting(handler))
    }

    /// Answers `method` on `path` with `handler`, which never waits: the router calls it without
    /// starting a task. A handler closure that does not `await` picks this overload by itself.
    public mutating func on(_ method: HTTPRequest.Method, _ path: String, immediate handler: @escaping @Sendable (Request) throws -> Response) {
        add(method, path, .immediate(handler))
    }

    private mutating func add(_ method: HTTPRequest.Method, _ path: String, _ handlers: Handlers) {
        let pattern = RoutePattern(path)
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

    public mutating func get(_ path: String, immediate: ImmediateHandler? = nil, _ handler: @escaping Handler) { on(.get, path, immediate: immediate, handler) }
    public mutating func get(_ path: String, immediate handler: @escaping @Sendable (Request) throws -> Response) { on(.get, path, immediate: handler) }
    public mutating func post(_ path: String, _ handler: @escaping Handler) { on(.post, path, handler) }
    public mutating func put(_ path: String, _ handler: @escaping Handler) { on(.put, path, handler) }
    public mutating func delete(_ path: String, _ handler: @escaping Handler) { on(.delete, path, handler) }

    /// Runs `middleware` around every request, outermost first in the order added.
    public mutating func use(_ middleware: any Middleware) {
        self.middleware.append(middleware)
    }

    /// Renders what routes and middleware throw with `renderer` (by default, `StandardErrorRenderer`).
    public mutating func renderErrors(with renderer: any ErrorRenderer) {
        self.renderer = renderer
    }

    public func build() -> Router {
        Router(routes: routes, middleware: middleware, renderer: renderer)
    }
}
