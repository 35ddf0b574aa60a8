/// What went wrong talking to PostgreSQL, saying whether a write may have been applied.
package enum PostgresError: Error, CustomStringConvertible, Equatable {
    /// No connection, or it failed before the statement was sent: nothing was applied.
    case unreachable(String)
    /// The connection failed after the statement was (perhaps partly) sent: a write may have
    /// been applied, and must not be retried or reported as counted.
    case outcomeUnknown(String)
    /// The server refused: an `ErrorResponse`, with its SQLSTATE (`28P01` a wrong password,
    /// `3D000` no such database, `42P01` no such table, …) and message.
    case server(sqlState: String, message: String)
    /// Authentication could not go on (a method we do not speak, a server signature that does
    /// not verify).
    case authentication(String)
    /// TLS was asked for and the server does not speak it.
    case tlsRefused(String)
    /// The server sent something that is not the protocol.
    case protocolViolation(String)
    case deadlineExceeded

    package var description: String {
        switch self {
        case .unreachable(let detail): "PostgreSQL is unreachable: \(detail)"
        case .outcomeUnknown(let detail): "the connection to PostgreSQL failed mid-statement: \(detail)"
        case .server(let state, let message): "PostgreSQL refused (SQLSTATE \(state)): \(message)"
        case .authentication(let detail): "PostgreSQL authentication failed: \(detail)"
        case .tlsRefused(let endpoint): "\(endpoint) does not offer TLS, and sslmode asks for it (sslmode=disable turns it off for a local server)"
        case .protocolViolation(let detail): "PostgreSQL sent something unexpected: \(detail)"
        case .deadlineExceeded: "the deadline passed before PostgreSQL could be asked"
        }
    }

    /// SQLSTATE class 08 (connection exception) and 57P (operator intervention: a shutdown, a
    /// restart) say the server, not the statement, is the trouble.
    var isServerGoingAway: Bool {
        guard case .server(let state, _) = self else { return false }
        return state.hasPrefix("08") || state.hasPrefix("57P")
    }
}
