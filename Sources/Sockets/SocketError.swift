import CLinux
import Glibc

/// A failed system call, named with the call and the `errno` it set, so a log line says what the kernel
/// refused (`bind: Address already in use (errno 98)`) instead of a bare number.
package struct SocketError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The system call that failed, such as `bind` or `epoll_wait`.
    package let call: String
    /// The `errno` value it set.
    package let errno: Int32
    /// Extra context, such as the address being bound.
    package let detail: String?
    /// What went wrong when it is not `errno`'s text: `getaddrinfo` reports its own codes
    /// (`gai_strerror`), and "No such file or directory" would say nothing about a host name.
    package let reason: String?

    package init(call: String, errno: Int32, detail: String? = nil, reason: String? = nil) {
        self.call = call
        self.errno = errno
        self.detail = detail
        self.reason = reason
    }

    /// A host name that does not resolve, with the resolver's own reason.
    package static func unresolvable(host: String, status: Int32) -> SocketError {
        SocketError(call: "getaddrinfo", errno: 0, detail: host, reason: String(cString: gai_strerror(status)))
    }

    /// Set when the error is a host that does not resolve (`unresolvable(host:status:)`).
    package var unresolvedHost: String? { call == "getaddrinfo" && errno == 0 ? detail : nil }

    /// Captures the current `errno` for `call`.
    static func last(_ call: String, detail: String? = nil) -> SocketError {
        SocketError(call: call, errno: clinux_errno(), detail: detail)
    }

    /// `true` for "address already in use", which the CLI reports as a port in use.
    package var isAddressInUse: Bool { errno == EADDRINUSE }

    package var description: String {
        if let host = unresolvedHost { return "cannot resolve the host '\(host)': \(reason ?? "unknown")" }
        let reason = reason ?? String(cString: strerror(errno))
        let context = detail.map { " \($0)" } ?? ""
        return "\(call)\(context): \(reason) (errno \(errno))"
    }
}
