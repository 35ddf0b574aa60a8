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
        let parsed: ConnectionURL
        do throws(HostAndPort.Invalid) {
            parsed = try ConnectionURL(parsingAfterScheme: rest, defaultPort: 6379)
        } catch {
            throw InvalidURL(reason: error.reason)
        }
        caFile = nil
        for (name, value) in parsed.query {
            guard name == "sslrootcert", !value.isEmpty else { throw InvalidURL(reason: "the only query parameter it takes is sslrootcert=<CA file>") }
            caFile = value
        }
        database = 0
        if let path = parsed.path, !path.isEmpty {
            guard let number = Int(path), (0...15).contains(number) else { throw InvalidURL(reason: "the database must be a number from 0 to 15") }
            database = number
        }
        user = parsed.user
        password = parsed.password
        host = parsed.host
        port = parsed.port
    }

    /// `host:port`, for messages (never the password).
    package var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
