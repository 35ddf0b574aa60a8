/// Why a store could not answer. The app turns every case into a 503 (never a made-up count) and
/// logs `description`, which is for operators, not for clients.
package enum VisitStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The store cannot be reached or refused the operation (I/O error, locked, throttled).
    case unavailable(String)
    /// The store did not answer within the time allowed.
    case timedOut(Duration)
    /// The store answered with something that is not a count (a corrupt file, an unexpected item).
    case corrupt(String)
    /// The store is waking up and will answer soon (Aurora Serverless v2 resuming from 0 ACUs):
    /// `/health` says `"resuming"`.
    case resuming(String)

    package var description: String {
        switch self {
        case .unavailable(let reason): "visit store unavailable: \(reason)"
        case .timedOut(let limit): "visit store did not answer within \(limit)"
        case .corrupt(let reason): "visit store returned bad data: \(reason)"
        case .resuming(let reason): "visit store resuming: \(reason)"
        }
    }
}
