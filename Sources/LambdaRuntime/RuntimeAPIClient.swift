
/// The calls a runtime makes to the Lambda Runtime API, as a protocol so that the loop can be
/// tested with a mock (`swift-aws-lambda-runtime` does the same) and run for real over HTTP.
/// Calls block their caller: the loop handles one invocation at a time, as Lambda requires.
package protocol RuntimeAPIClient: Sendable {
    /// `GET /2018-06-01/runtime/invocation/next`, waiting as long as Lambda likes.
    func nextInvocation() throws(LambdaRuntimeError) -> Invocation
    /// `POST /2018-06-01/runtime/invocation/{id}/response` with the whole answer.
    func sendResponse(requestID: String, body: [UInt8]) throws(LambdaRuntimeError)
    /// Starts a streamed answer to `requestID` (`Lambda-Runtime-Function-Response-Mode: streaming`).
    func startStreamingResponse(requestID: String, contentType: String) throws(LambdaRuntimeError) -> any LambdaResponseStream
    /// `POST /2018-06-01/runtime/invocation/{id}/error`.
    func sendError(requestID: String, _ report: LambdaErrorReport) throws(LambdaRuntimeError)
    /// `POST /2018-06-01/runtime/init/error`, before the first `next`.
    func sendInitError(_ report: LambdaErrorReport) throws(LambdaRuntimeError)
}

/// A streamed answer in progress: chunks as they are made, then the end, cleanly or with an error
/// that Lambda reports in the trailers.
package protocol LambdaResponseStream: AnyObject, Sendable {
    func write(_ bytes: [UInt8]) throws(LambdaRuntimeError)
    func finish() throws(LambdaRuntimeError)
    /// Ends the stream with `report` in the `Lambda-Runtime-Function-Error-Type` and
    /// `Lambda-Runtime-Function-Error-Body` trailers.
    func fail(_ report: LambdaErrorReport) throws(LambdaRuntimeError)
}

/// What one invocation may send, bound to its request id: `RuntimeAPIClient.next()` hands it out
/// with the invocation, so an answer can only go to the invocation it belongs to.
package struct InvocationReply: Sendable {
    package let requestID: String
    let client: any RuntimeAPIClient

    /// The whole answer (`/invocation/{id}/response`).
    package func respond(_ body: [UInt8]) throws(LambdaRuntimeError) {
        try client.sendResponse(requestID: requestID, body: body)
    }

    /// A streamed answer (`Lambda-Runtime-Function-Response-Mode: streaming`).
    package func startStream(contentType: String) throws(LambdaRuntimeError) -> any LambdaResponseStream {
        try client.startStreamingResponse(requestID: requestID, contentType: contentType)
    }

    /// The event could not be served (`/invocation/{id}/error`).
    package func fail(_ report: LambdaErrorReport) throws(LambdaRuntimeError) {
        try client.sendError(requestID: requestID, report)
    }
}

extension RuntimeAPIClient {
    /// The next invocation and the one way to answer it.
    package func next() throws(LambdaRuntimeError) -> (Invocation, InvocationReply) {
        let invocation = try nextInvocation()
        return (invocation, InvocationReply(requestID: invocation.requestID, client: self))
    }
}
