package import HTTPClient

/// Why the runtime cannot go on talking to Lambda. These end the process (Lambda starts a new
/// one); an event that does not decode is not one of them, it is reported and the loop goes on.
package enum LambdaRuntimeError: Error, Sendable, CustomStringConvertible {
    /// `AWS_LAMBDA_RUNTIME_API` is not `host:port`.
    case invalidEndpoint(String)
    case transport(HTTPClientError)
    /// The Runtime API answered a call with a status the documentation gives for failures.
    case rejected(call: String, status: Int, body: String)
    /// `/next` answered without the headers every invocation has.
    case missingHeader(String)

    package var description: String {
        switch self {
        case .invalidEndpoint(let value): "AWS_LAMBDA_RUNTIME_API=\(value) is not valid: expected host:port"
        case .transport(let error): "Runtime API: \(error)"
        case .rejected(let call, let status, let body): "Runtime API refused \(call) with \(status): \(body.prefix(200))"
        case .missingHeader(let name): "Runtime API: /next answered without \(name)"
        }
    }
}
