package import HTTPCore
import JSON

/// What an invocation's event is: an HTTP request in one of the formats Lambda's HTTP front doors
/// send, or EventBridge's scheduled ping. Anything else is not for this runtime.
package enum LambdaEvent: Sendable {
    /// The request and the format its answer must take.
    case http(Request, HTTPEventFormat)
    /// An EventBridge schedule (`"source": "aws.events"`, `"detail-type": "Scheduled Event"`): a
    /// keep-warm ping, answered at once.
    case scheduled

    /// Reads `invocation`'s event; the request carries the invocation's id and deadline.
    package static func decode(_ invocation: Invocation) throws(LambdaEventError) -> LambdaEvent {
        let json: JSONValue
        do {
            json = try JSONValue.parse(invocation.event)
        } catch {
            throw .invalid("the event is not JSON: \(error)")
        }
        guard let object = json.object else { throw .unsupported("the event is not a JSON object") }
        if object["source"]?.string == "aws.events", object["detail-type"]?.string == "Scheduled Event" {
            return .scheduled
        }
        var request: Request
        let format: HTTPEventFormat
        if object["version"]?.string == "2.0", object["requestContext"]?["http"] != nil {
            format = .functionURL
            request = try FunctionURLRequest.decode(object)
        } else if object["httpMethod"] != nil, object["requestContext"] != nil {
            format = .apiGatewayV1
            request = try APIGatewayV1Request.decode(object)
        } else {
            throw .unsupported("the event is neither a Function URL / API Gateway HTTP request nor a scheduled event")
        }
        request.requestID = invocation.requestID
        request.traceID = invocation.traceID
        request.deadline = invocation.deadline()
        return .http(request, format)
    }
}

/// The answer formats: payload 2.0 (Function URLs and API Gateway HTTP APIs) and 1.0 (API Gateway
/// REST APIs, and HTTP APIs set to payload 1.0).
package enum HTTPEventFormat: Sendable, Equatable {
    case functionURL
    case apiGatewayV1
}

/// An event the runtime cannot serve, reported to Lambda as the invocation's error.
package enum LambdaEventError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A format this runtime does not serve.
    case unsupported(String)
    /// A known format that does not decode.
    case invalid(String)

    package var description: String {
        switch self {
        case .unsupported(let detail), .invalid(let detail): detail
        }
    }

    package var report: LambdaErrorReport {
        switch self {
        case .unsupported(let detail): .unsupportedEvent(detail)
        case .invalid(let detail): .invalidEvent(detail)
        }
    }
}
