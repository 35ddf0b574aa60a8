import HTTPClient

/// What went wrong talking to Redis, saying whether a write may have been applied.
package enum RedisError: Error, CustomStringConvertible {
    /// No connection, or it failed before the command was sent: nothing was applied.
    case unreachable(String)
    /// The connection failed after the command was (perhaps partly) sent: a write may have been
    /// applied, and must not be retried or reported as counted.
    case outcomeUnknown(String)
    /// Redis answered with an error (`-ERR …`, `-WRONGPASS …`, `-OOM …`): nothing was applied.
    case server(String)
    /// Redis sent something that is not the reply asked for.
    case protocolViolation(String)
    /// The call's deadline passed before it could start.
    case deadlineExceeded

    package var description: String {
        switch self {
        case .unreachable(let detail): "Redis is unreachable: \(detail)"
        case .outcomeUnknown(let detail): "the connection to Redis failed mid-call: \(detail)"
        case .server(let message): "Redis refused the command: \(message)"
        case .protocolViolation(let detail): "Redis sent an unexpected reply: \(detail)"
        case .deadlineExceeded: "the deadline passed before Redis could be asked"
        }
    }

    /// An authentication failure: a setting to fix, not an outage to wait out.
    package var isAuthentication: Bool {
        guard case .server(let message) = self else { return false }
        return message.hasPrefix("WRONGPASS") || message.hasPrefix("NOAUTH") || message.hasPrefix("NOPERM")
            || message.hasPrefix("ERR invalid password") || message.hasPrefix("ERR AUTH")
    }
}
