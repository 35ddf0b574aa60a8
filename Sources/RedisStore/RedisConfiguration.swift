import HTTPCore

/// Where Redis is and how to reach it, from `SWIFTLET_REDIS_URL`:
/// `redis://[user[:password]@]host[:port][/db]` in plain TCP, `rediss://` over TLS (the form
/// redis-cli and most clients take; ElastiCache Serverless needs `rediss://`). User and password are
/// percent-decoded. `?sslrootcert=/path` trusts only that file's CAs (libpq's name for the same
/// thing, as the PostgreSQL store takes it).
package struct RedisConfiguration: Sendable, Equatable {
    package var host: String
    package var port: UInt16
    package var tls: Bool
    /// `AUTH user password` when set, else `AUTH password` (the `default` user).
    package var user: String?
    package var password: String?
    /// `SELECT`ed after connecting when not 0. Cluster mode (ElastiCache Serverless) has only 0.
    package var database: Int
    package var caFile: String?
    /// The hash that holds the counts. The `{…}` is a hash tag: in cluster mode every key with the
    /// same tag is in one slot ("Hash tags", Redis cluster specification), so that a later key of
    /// ours could share a transaction with this one.
    package var key: String = "{swiftlet}:visits"
    /// One attempt's limit, and a call's when the request sets no deadline.
    package var callTimeout: Duration = .seconds(2)
    package var connectTimeout: Duration = .seconds(1)

    package init(host: String, port: UInt16 = 6379, tls: Bool = false, user: String? = nil, password: String? = nil, database: Int = 0, caFile: String? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
        self.user = user
        self.password = password
        self.database = database
        self.caFile = caFile
    }

    /// Why a `SWIFTLET_REDIS_URL` cannot be used, without repeating its password.
    package struct InvalidURL: Error, CustomStringConvertible {
        package let reason: String
        package var description: String { "SWIFTLET_REDIS_URL is not valid: \(reason) (expected redis://[user[:password]@]host[:port][/db] or rediss://…)" }
    }

    package init(url: String) throws(InvalidURL) {
        let rest: Substring
        if url.hasPrefix("rediss://") {
            tls = true
            rest = url.dropFirst("rediss://".count)
        } else if url.hasPrefix("redis://") {
            tls = false
            rest = url.dropFirst("redis://".count)
        } else {
            throw InvalidURL(reason: "it must start with redis:// or rediss://")
        }
        var main = rest
        caFile = nil
        if let mark = rest.firstIndex(of: "?") {
            main = rest[..<mark]
            for pair in rest[rest.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, parts[0] == "sslrootcert", let path = PercentDecoding.decode(parts[1]), !path.isEmpty else {
                    throw InvalidURL(reason: "the only query parameter it takes is sslrootcert=<CA file>")
                }
                caFile = path
            }
        }
        var authority = main
        database = 0
        if let slash = main.firstIndex(of: "/") {
            authority = main[..<slash]
            let path = main[main.index(after: slash)...]
            if !path.isEmpty {
                guard let number = Int(path), (0...15).contains(number) else { throw InvalidURL(reason: "the database must be a number from 0 to 15") }
                database = number
            }
        }
        user = nil
        password = nil
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            authority = authority[authority.index(after: at)...]
            let parts = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(parts[0]) else { throw InvalidURL(reason: "the user name has a bad %-escape") }
            user = name.isEmpty ? nil : name
            if parts.count == 2 {
                guard let secret = PercentDecoding.decode(parts[1]) else { throw InvalidURL(reason: "the password has a bad %-escape") }
                password = secret
            }
        }
        do throws(HostAndPort.Invalid) {
            let parsed = try HostAndPort(parsing: authority, defaultPort: 6379)
            host = parsed.host
            port = parsed.port
        } catch {
            throw InvalidURL(reason: error.reason)
        }
    }

    /// `host:port`, for messages (never the password).
    package var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
