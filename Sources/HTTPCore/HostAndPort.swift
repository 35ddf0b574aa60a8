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

/// What follows `scheme://` in a store's connection URL (`redis://…`, `postgres://…`):
/// `[user[:password]@]host[:port][/path][?name=value&…]`, RFC 3986's parts with the user, the
/// password and the query's values percent-decoded. What each part may hold is the store's to say.
package struct ConnectionURL {
    /// `nil` when the URL names no user (or an empty one).
    package var user: String?
    package var password: String?
    package var host: String
    package var port: UInt16
    /// After the first `/` of the authority, not decoded; `nil` when there is no `/`.
    package var path: Substring?
    package var query: [(name: Substring, value: String)]

    package init(parsingAfterScheme text: Substring, defaultPort: UInt16) throws(HostAndPort.Invalid) {
        var main = text
        query = []
        if let mark = text.firstIndex(of: "?") {
            main = text[..<mark]
            for pair in text[text.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, let value = PercentDecoding.decode(parts[1]) else { throw HostAndPort.Invalid(reason: "'\(pair)' is not name=value") }
                query.append((parts[0], value))
            }
        }
        var authority = main
        path = nil
        if let slash = main.firstIndex(of: "/") {
            authority = main[..<slash]
            path = main[main.index(after: slash)...]
        }
        user = nil
        password = nil
        if let at = authority.lastIndex(of: "@") {
            let parts = authority[..<at].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            authority = authority[authority.index(after: at)...]
            guard let name = PercentDecoding.decode(parts[0]) else { throw HostAndPort.Invalid(reason: "the user name has a bad %-escape") }
            user = name.isEmpty ? nil : name
            if parts.count == 2 {
                guard let secret = PercentDecoding.decode(parts[1]) else { throw HostAndPort.Invalid(reason: "the password has a bad %-escape") }
                password = secret
            }
        }
        let address = try HostAndPort(parsing: authority, defaultPort: defaultPort)
        host = address.host
        port = address.port
    }
}
