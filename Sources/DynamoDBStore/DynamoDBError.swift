/// What DynamoDB (or the way to it) answered instead of a result, classified for the store: may the
/// call be made again, and is it certain it was not applied?
package enum DynamoDBError: Error, Sendable, CustomStringConvertible {
    /// The service refused the call: `type` is the `__type` after its `#`
    /// (`ProvisionedThroughputExceededException`), `message` its text.
    case service(status: Int, type: String, message: String)
    /// No answer: the connection, TLS or a deadline failed. `sent` says whether the request may
    /// have reached DynamoDB.
    case transport(String, sent: Bool)
    /// An answer that is not the JSON the operation returns.
    case malformedResponse(String)
    /// The request's deadline passed before an attempt could be made.
    case deadlineExceeded

    package var description: String {
        switch self {
        case .service(let status, let type, let message): "DynamoDB \(status) \(type): \(message)"
        case .transport(let detail, _): "DynamoDB unreachable: \(detail)"
        case .malformedResponse(let detail): "DynamoDB answered something unexpected: \(detail)"
        case .deadlineExceeded: "no time left before the request's deadline"
        }
    }

    /// Throttling: the call was refused before it was applied, and may be made again after a pause.
    package var isThrottling: Bool {
        guard case .service(_, let type, _) = self else { return false }
        return ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "LimitExceededException"].contains(type)
    }

    /// A 5xx: DynamoDB failed, and for a write it cannot say whether the write was applied.
    package var isServerError: Bool {
        if case .service(let status, _, _) = self { return status >= 500 }
        return false
    }

    /// Whether a write may have been applied although it did not succeed.
    package var writeOutcomeUnknown: Bool {
        switch self {
        case .transport(_, let sent): sent
        case .service: isServerError
        case .malformedResponse: true
        case .deadlineExceeded: false
        }
    }

    /// Whether the call may be made again: always when it certainly was not applied (throttled, or
    /// never sent); a read also when its outcome is unknown, since reading twice counts nothing.
    package func mayRetry(isWrite: Bool) -> Bool {
        if isThrottling { return true }
        if case .transport(_, sent: false) = self { return true }
        return !isWrite && writeOutcomeUnknown
    }
}
