/// Code that wraps every request on its way to the router and every response on its way back:
/// request ids, access logs, security headers, error pages.
public protocol Middleware: Sendable {
    func respond(to request: Request, next: any HTTPResponder) async throws -> Response
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
}
