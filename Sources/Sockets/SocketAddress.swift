import CLinux
import Glibc

/// An IPv4 or IPv6 address and port, convertible to and from the kernel's `sockaddr` forms.
package enum SocketAddress: Sendable, Equatable, CustomStringConvertible {
    case ipv4(host: String, port: UInt16)
    case ipv6(host: String, port: UInt16)

    /// Resolves `host` (an IP literal, `localhost` or a name in `/etc/hosts` or DNS) once, at start.
    package init(host: String, port: UInt16) throws(SocketError) {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            self = .ipv4(host: host, port: port)
            return
        }
        var v6 = in6_addr()
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if inet_pton(AF_INET6, bare, &v6) == 1 {
            self = .ipv6(host: bare, port: port)
            return
        }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_ADDRCONFIG
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &result)
        guard status == 0, let first = result else {
            throw SocketError.unresolvable(host: host, status: status)
        }
        defer { freeaddrinfo(result) }
        guard let resolved = SocketAddress(sockaddr: first.pointee.ai_addr) else {
            throw SocketError(call: "getaddrinfo", errno: EAFNOSUPPORT, detail: "host '\(host)'")
        }
        self = resolved.with(port: port)
    }

    /// Reads a kernel address; `nil` for families other than IPv4 and IPv6.
    init?(sockaddr pointer: UnsafePointer<sockaddr>) {
        switch Int32(pointer.pointee.sa_family) {
        case AF_INET:
            let sin = UnsafeRawPointer(pointer).load(as: sockaddr_in.self)
            var addr = sin.sin_addr
            var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            inet_ntop(AF_INET, &addr, &buffer, socklen_t(buffer.count))
            self = .ipv4(host: String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), port: UInt16(bigEndian: sin.sin_port))
        case AF_INET6:
            let sin6 = UnsafeRawPointer(pointer).load(as: sockaddr_in6.self)
            var addr = sin6.sin6_addr
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count))
            self = .ipv6(host: String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), port: UInt16(bigEndian: sin6.sin6_port))
        default:
            return nil
        }
    }

    package var host: String {
        switch self {
        case .ipv4(let host, _), .ipv6(let host, _): host
        }
    }

    package var port: UInt16 {
        switch self {
        case .ipv4(_, let port), .ipv6(_, let port): port
        }
    }

    var family: Int32 {
        switch self {
        case .ipv4: AF_INET
        case .ipv6: AF_INET6
        }
    }

    func with(port: UInt16) -> SocketAddress {
        switch self {
        case .ipv4(let host, _): .ipv4(host: host, port: port)
        case .ipv6(let host, _): .ipv6(host: host, port: port)
        }
    }

    /// Calls `body` with this address in kernel form.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        switch self {
        case .ipv4(let host, let port):
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            inet_pton(AF_INET, host, &sin.sin_addr)
            return withUnsafePointer(to: &sin) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .ipv6(let host, let port):
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            inet_pton(AF_INET6, host, &sin6.sin6_addr)
            return withUnsafePointer(to: &sin6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }

    /// `127.0.0.1:8080` or `[::1]:8080`.
    package var description: String {
        switch self {
        case .ipv4(let host, let port): "\(host):\(port)"
        case .ipv6(let host, let port): "[\(host)]:\(port)"
        }
    }
}
