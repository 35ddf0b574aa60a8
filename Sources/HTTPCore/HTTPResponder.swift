/// The one thing a front-end needs from the application: a request in, a response out.
///
/// It is `async` so that a responder may wait on I/O (a DynamoDB call, say) without blocking a
/// thread. The socket server runs it in a task whose executor is the connection's own event loop, so
/// a responder that never suspends costs no thread hop, and one that does suspend lets the loop
/// serve other connections meanwhile. An error it throws becomes a response: a `ResponseError`
/// renders itself, anything else becomes a 500.
public protocol HTTPResponder: Sendable {
    func respond(to request: Request) async throws -> Response
}

/// A responder made from a closure, for tests and small adapters.
public struct ClosureResponder: HTTPResponder {
    private let body: @Sendable (Request) async throws -> Response

    public init(_ body: @escaping @Sendable (Request) async throws -> Response) {
        self.body = body
    }

    public func respond(to request: Request) async throws -> Response {
        try await body(request)
    }
}
