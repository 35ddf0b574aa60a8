/// Code around every request, whichever route answers it and whether or not it waits: request
/// ids, access logs, security headers, CORS. The router drives it, in the order `use` added it:
///
/// - `prepare` runs before routing, outermost first. It may change the request (give it an id),
///   answer it itself (a CORS preflight), or throw (a refused origin), which skips the later
///   middleware's `prepare` and the route.
/// - `finish` runs on the response, innermost first, for every middleware, whichever step
///   answered: an error thrown anywhere has been rendered into a response already
///   (`ErrorRenderer`), so `finish` always has one.
///
/// Neither may wait: whatever needs waiting belongs in a route.
public protocol Middleware: Sendable {
    /// Before routing: the answer, to skip the route (and later middleware), or `nil` to go on.
    func prepare(_ request: inout Request) throws -> Response?

    /// After the answer is made: changes to it (headers, compression) or a log line.
    func finish(_ response: inout Response, for request: Request)
}

extension Middleware {
    public func prepare(_ request: inout Request) throws -> Response? { nil }
    public func finish(_ response: inout Response, for request: Request) {}
}
