import HTTPTypes

/// Turns what a route or a middleware threw into the response the client gets, at the point
/// where it was thrown, so that every middleware's `finish` sees a response and no front-end
/// ever sees an error. An app gives the router its own (error pages in its templates, a log
/// line); the router's default is `StandardErrorRenderer`.
public protocol ErrorRenderer: Sendable {
    func response(for error: any Error, to request: Request) -> Response
}

/// A `ResponseError`'s own response; for anything else, a 500 that shows nothing inside, after
/// `unexpected` has seen the error (for a log).
public struct StandardErrorRenderer: ErrorRenderer {
    private let unexpected: (@Sendable (any Error, Request) -> Void)?

    public init(unexpected: (@Sendable (any Error, Request) -> Void)? = nil) {
        self.unexpected = unexpected
    }

    public func response(for error: any Error, to request: Request) -> Response {
        if let error = error as? any ResponseError {
            return error.response(requestID: request.requestID)
        }
        unexpected?(error, request)
        return HTTPError(.internalServerError).response(requestID: request.requestID)
    }
}
