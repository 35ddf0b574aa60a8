/// The one thing a front-end needs from the application: a request in, a response out.
///
/// Most answers need no waiting at all (a cached health result, counts the store already holds,
/// a static file, a 404), and creating a task for them costs more than the answer. So a front-end
/// asks `dispatch(_:)`, which routes the request once and either answers it on the spot or hands
/// back what must be awaited (`PendingResponse`), which the front-end runs in a task of its
/// choosing: the socket server in one whose executor is the connection's own event loop, so that
/// a responder that suspends (a DynamoDB call, say) lets the loop serve other connections.
///
/// A responder never throws: errors are rendered inside it (see `ErrorRenderer`), so both
/// front-ends send whatever it answers.
public protocol HTTPResponder: Sendable {
    /// Starts answering `request`: its response when that needs no waiting, or what to await.
    func dispatch(_ request: consuming Request) -> Dispatch

    /// Whether `request`, known by its head alone, is refused whatever its body would be (no route
    /// for its path, or none for its method): a front-end may then answer it at once and close,
    /// instead of reading a body nobody wants.
    func refusesRegardlessOfBody(_ request: Request) -> Bool
}

extension HTTPResponder {
    /// By default a responder may want any body.
    public func refusesRegardlessOfBody(_ request: Request) -> Bool { false }

    /// The answer to `request` for a front-end that is already in a task (the Lambda runtime):
    /// the same dispatch as the socket server's, awaited when it must be.
    public func answer(_ request: Request) async -> Response {
        switch dispatch(request) {
        case .answered(let response): response
        case .waiting(let pending): await pending.response()
        }
    }
}

/// How a responder starts an answer: done already, or to be awaited.
public enum Dispatch: Sendable {
    case answered(Response)
    case waiting(PendingResponse)
}

/// An answer that needs waiting (a store call), with everything the responder found out before
/// it had to wait: the matched route, the request as middleware left it. Awaiting it runs the
/// rest once.
public struct PendingResponse: Sendable {
    private let body: @Sendable () async -> Response

    public init(_ body: @escaping @Sendable () async -> Response) {
        self.body = body
    }

    public func response() async -> Response {
        await body()
    }
}

/// A responder made from a closure, for tests and small adapters. A thrown error becomes its
/// response through `StandardErrorRenderer`.
public struct ClosureResponder: HTTPResponder {
    private let body: @Sendable (Request) async throws -> Response

    public init(_ body: @escaping @Sendable (Request) async throws -> Response) {
        self.body = body
    }

    public func dispatch(_ request: consuming Request) -> Dispatch {
        let request = copy request
        return .waiting(PendingResponse { [body] in
            do {
                return try await body(request)
            } catch {
                return StandardErrorRenderer().response(for: error, to: request)
            }
        })
    }
}
