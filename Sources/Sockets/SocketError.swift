import CLinux
import Glibc

/// A failed system call, named with the call and the `errno` it set, so a log line says what the kernel
/// refused (`bind: Address already in use (errno 98)`) instead of a bare number.
public struct SocketError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The system call that failed, such as `bind` or `epoll_wait`.
    public let call: String
    /// The `errno` value it set.
    public let errno: Int32
    /// Extra context, such as the address being bound.
    public let detail: String?

    public init(call: String, errno: Int32, detail: String? = nil) {
        self.call = call
        self.errno = errno
        self.detail = detail
    }

    /// Captures the current `errno` for `call`.
    static func last(_ call: String, detail: String? = nil) -> SocketError {
        SocketError(call: call, errno: clinux_errno(), detail: detail)
    }

    /// `true` for "address already in use", which the CLI reports as a port in use.
    public var isAddressInUse: Bool { errno == EADDRINUSE }

    public var description: String {
        let reason = String(cString: strerror(errno))
        let context = detail.map { " \($0)" } ?? ""
        return "\(call)\(context): \(reason) (errno \(errno))"
    }
}
