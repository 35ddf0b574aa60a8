package import HTTPCore
package import Sockets

/// Why a request got no usable answer, in words a log reader can act on; `outcomeUnknown` tells a
/// caller whether the server may have acted on the request (it must not retry one that may have).
package enum HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// Where the time ran out.
    package enum Phase: String, Sendable {
        case connect, write, read
    }

    case cannotResolve(host: String, SocketError)
    case cannotConnect(endpoint: String, SocketError)
    case timedOut(Phase, endpoint: String)
    /// The server closed the connection before a whole response arrived.
    case connectionClosed(endpoint: String)
    case invalidResponse(HTTP1ParseError, endpoint: String)
    case responseTooLarge(limit: Int, endpoint: String)
    case io(SocketError, endpoint: String)
    /// A second request on a client that serves one at a time.
    case busy
    /// The server's certificate is not trusted for this host (unknown CA, expired, wrong name).
    case certificateRejected(endpoint: String, reason: String)
    /// TLS could not be set up or failed (not a certificate the client refused).
    case tls(String)

    package var description: String {
        switch self {
        case .cannotResolve(let host, let error): "cannot resolve \(host): \(error)"
        case .cannotConnect(let endpoint, let error): "cannot connect to \(endpoint): \(error)"
        case .timedOut(let phase, let endpoint): "\(endpoint) did not answer in time (\(phase.rawValue) deadline passed)"
        case .connectionClosed(let endpoint): "\(endpoint) closed the connection before answering in full"
        case .invalidResponse(let error, let endpoint): "\(endpoint) sent an invalid HTTP response: \(error)"
        case .responseTooLarge(let limit, let endpoint): "\(endpoint) sent a response over \(limit) bytes"
        case .io(let error, let endpoint): "I/O with \(endpoint) failed: \(error)"
        case .busy: "the HTTP client is already serving a request"
        case .certificateRejected(let endpoint, let reason): "refused the TLS certificate of \(endpoint): \(reason)"
        case .tls(let detail): detail
        }
    }

    /// `true` when the request may have reached the server and been acted on: the answer was lost
    /// after it was sent. `false` when it certainly was not (no connection, nothing written).
    package var outcomeUnknown: Bool {
        switch self {
        case .cannotResolve, .cannotConnect, .busy, .certificateRejected: false
        case .tls: true
        case .timedOut(let phase, _): phase == .read
        case .connectionClosed, .invalidResponse, .responseTooLarge, .io: true
        }
    }
}
