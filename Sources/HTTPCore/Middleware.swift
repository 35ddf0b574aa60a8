/// Code that wraps every request on its way to the router and every response on its way back:
/// request ids, access logs, security headers, error pages.
public protocol Middleware: Sendable {
    func respond(to request: Request, next: any HTTPResponder) async throws -> Response

    /// The same work around `next.respondImmediately(to:)`: the response, or `nil` when `next`
    /// must wait, leaving in `request` what `respond(to:next:)` should start from.
    func respondImmediately(to request: inout Request, next: any HTTPResponder) throws -> Response?
}

extension Middleware {
    /// A middleware that does not say how to answer immediately sends every request the `async` way.
    public func respondImmediately(to request: inout Request, next: any HTTPResponder) throws -> Response? { nil }
}

/// A responder that runs `middleware` around `next`.
public struct MiddlewareResponder: HTTPResponder {
    let middleware: any Middleware
    let next: any HTTPResponder

    public init(_ middleware: any Middleware, next: any HTTPResponder) {
        self.middleware = middleware
        self.next = next
    }

    public func respond(to request: Request) async throws -> Response {
        try await middleware.respond(to: request, next: next)
    }

    public func respondImmediately(to request: inout Request) throws -> Response? {
        try middleware.respondImmediately(to: &request, next: next)
    }

    public func refusesRegardlessOfBody(_ request: Request) -> Bool {
        next.refusesRegardlessOfBody(request)
    }
}
