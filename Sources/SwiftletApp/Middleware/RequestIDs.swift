import HTTPCore
import Timekeeping

/// Gives every request an id, unless the front-end brought one (Lambda's), and sends it back in
/// `X-Request-Id`, so that a user can quote the id their error page shows and find the log line.
struct RequestIDs: Middleware {
    let ids = RequestIDGenerator()

    func prepare(_ request: inout Request) throws -> Response? {
        if request.requestID == nil { request.requestID = ids.next() }
        return nil
    }

    func finish(_ response: inout Response, for request: Request) {
        response.requestID = request.requestID ?? "" // sent as X-Request-Id by the front-end, without copying shared fields
    }
}
