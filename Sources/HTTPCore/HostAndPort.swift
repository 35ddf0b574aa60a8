/// `host[:port]` or `[v6-address][:port]`, the authority of a connection URL (`redis://…`,
/// `postgres://…`; RFC 3986 §3.2.2 and §3.2.3), for the stores' settings.
package struct HostAndPort: Equatable, Sendable {
    package var host: String
    package var port: UInt16

    /// What is wrong with an authority, in words a settings error can use.
    package struct Invalid: Error {
        package let reason: String
    }

    package init(parsing authority: Substring, defaultPort: UInt16) throws(Invalid) {
        var host = authority
        port = defaultPort
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw Invalid(reason: "an IPv6 address must end with ]") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw Invalid(reason: "the port must be a number from 1 to 65535") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        if let portText {
            guard let number = UInt16(portText), number > 0 else { throw Invalid(reason: "the port must be a number from 1 to 65535") }
            port = number
        }
        guard !host.isEmpty else { throw Invalid(reason: "it names no host") }
        self.host = String(host)
    }
}
