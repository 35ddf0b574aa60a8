import HTTPTypes
extension HTTPResponder {
    /// The answer to `request` as a front-end that is already in a task gives it (the Lambda
    /// runtime, the invoke endpoint): `respondImmediately` first, exactly as the socket server does,
    /// and `respond` only when that says it must wait. A thrown error becomes a response (see
    /// `errorResponse`); one that is not a `ResponseError` is handed to `unexpected` for the log.
    public func answer(_ request: Request, unexpected: (any Error) -> Void) async -> Response {
        var started = request
        do {
            if let response = try respondImmediately(to: &started) { return response }
            return try await respond(to: started)
        } catch {
            return errorResponse(error, requestID: started.requestID, unexpected: unexpected)
        }
    }
}

/// What a responder's error becomes: its own response when it is a `ResponseError`, otherwise a
/// 500 that shows nothing inside (the error goes to `unexpected`, for the log).
public func errorResponse(_ error: any Error, requestID: String?, unexpected: (any Error) -> Void) -> Response {
    if let error = error as? any ResponseError {
        return error.response(requestID: requestID)
    }
    unexpected(error)
    return HTTPError(.internalServerError).response(requestID: requestID)
}
