/// An error that knows the response it should become, so handlers can `throw` a 404 or a 503 and
/// the front-end or an error middleware turns it into the right answer.
public protocol ResponseError: Error {
    /// The response to send; `requestID` is for the body, so a user can quote it.
    func response(requestID: String?) -> Response
}
