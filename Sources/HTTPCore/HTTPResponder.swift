/// The one thing a front-end needs from the application: a request in, a response out.
///
/// It is `async` so that a responder may wait on I/O (a DynamoDB call, say) without blocking a
/// thread. The socket server runs it in a task whose executor is the connection's own event loop, so
/// a responder that does suspend lets the loop serve other connections meanwhile. An error it throws
/// becomes a response: a `ResponseError` renders itself, anything else becomes a 500.
///
/// Most answers need no waiting at all (a cached health result, counts the store already holds,
/// a static file, a 404), and creating a task for them costs more than the answer. So a front-end
/// first calls `respondImmediately(to:)`, and only when that says `nil` ("I would have to wait")
/// starts a task for `respond(to:)`. Both must give the same answer for the same request.
public protocol HTTPResponder: Sendable {
    func respond(to request: Request) async throws -> Response

    /// The response when it can be made without suspending, or `nil` to be asked `respond(to:)`
    /// with `request` as this call left it (middleware may have given it a request id).
    func respondImmediately(to request: inout Request) throws -> Response?

    /// Whether `request`, known by its head alone, is refused whatever its body would be (no route
    /// for its path, or none for its method): a front-end may then answer it at once and close,
    /// instead of reading a body nobody wants.
    func refusesRegardlessOfBody(_ request: Request) -> Bool
}

extension HTTPResponder {
    /// By default a responder always answers through `respond(to:)`.
    public func respondImmediately(to request: inout Request) throws -> Response? { nil }

    /// By default a responder may want any body.
    public func refusesRegardlessOfBody(_ request: Request) -> Bool { false }
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
