import HTTPCore
package import Timekeeping

/// One invocation as `GET /runtime/invocation/next` hands it over: the event and the context in its
/// response headers (AWS Lambda Developer Guide, "Using the Lambda runtime API", Next invocation).
package struct Invocation: Sendable {
    /// `Lambda-Runtime-Aws-Request-Id`: the id CloudWatch shows; every answer names it.
    package var requestID: String
    /// `Lambda-Runtime-Deadline-Ms`: when the function times out, in Unix milliseconds.
    package var deadlineMilliseconds: Int64
    /// `Lambda-Runtime-Invoked-Function-Arn`.
    package var invokedFunctionARN: String?
    /// `Lambda-Runtime-Trace-Id`: X-Ray's header, exported as `_X_AMZN_TRACE_ID` for the invocation.
    package var traceID: String?
    /// `Lambda-Runtime-Client-Context` (mobile SDK invocations), JSON as sent.
    package var clientContext: String?
    /// `Lambda-Runtime-Cognito-Identity` (mobile SDK invocations), JSON as sent.
    package var cognitoIdentity: String?
    /// The event, a JSON document.
    package var event: [UInt8]

    package init(requestID: String, deadlineMilliseconds: Int64, invokedFunctionARN: String? = nil, traceID: String? = nil,
                clientContext: String? = nil, cognitoIdentity: String? = nil, event: [UInt8]) {
        self.requestID = requestID
        self.deadlineMilliseconds = deadlineMilliseconds
        self.invokedFunctionARN = invokedFunctionARN
        self.traceID = traceID
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
        self.event = event
    }

    /// The deadline on the monotonic clock every layer's deadlines use, from Lambda's wall-clock
    /// one (a deadline already past is now).
    package func deadline(nowMilliseconds: Int64 = WallClock.nowMilliseconds()) -> MonotonicTime {
        .after(.milliseconds(deadlineMilliseconds - nowMilliseconds))
    }
}
