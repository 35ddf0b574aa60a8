import HTTPCore

/// Where PostgreSQL is and how to reach it, from `SWIFTLET_POSTGRES_URL`, with libpq's names:
/// `postgres://user[:password]@host[:port]/database?sslmode=…&sslrootcert=…`
/// (`postgresql://` too). User, password and database are percent-decoded.
package struct PostgresConfiguration: Sendable, Equatable {
    /// libpq's `sslmode` values that the store speaks ("SSL Mode Descriptions", libpq §34.19.3).
    package enum SSLMode: String, Sendable, Equatable {
        /// Plain TCP: a local server.
        case disable
        /// TLS, with no check of who answers: protection against eavesdropping only.
        case require
        /// TLS, the chain checked against the trusted CAs and the host name against the
        /// certificate: the only mode that stops a server in the middle.
        case verifyFull = "verify-full"
    }

    package var host: String
    package var port: UInt16
    package var user: String
    package var password: String?
    package var database: String
    package var sslMode: SSLMode
    package var caFile: String?
    /// The table of counts, one row per region and shard.
    package var table = "visits"
    /// One attempt's limit, and a call's when the request sets no deadline.
    package var callTimeout: Duration = .seconds(2)
    package var connectTimeout: Duration = .seconds(2)

    package init(host: String, port: UInt16 = 5432, user: String, password: String? = nil, database: String,
                 sslMode: SSLMode = .verifyFull, caFile: String? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.sslMode = sslMode
        self.caFile = caFile
    }

    /// Why a `SWIFTLET_POSTGRES_URL` cannot be used, without repeating its password.
    package struct InvalidURL: Error, CustomStringConvertible {
        package let reason: String
        package var description: String { "SWIFTLET_POSTGRES_URL is not valid: \(reason) (expected postgres://user[:password]@host[:port]/database?sslmode=disable|require|verify-full)" }
    }

    /// `defaultSSLMode` applies when the URL names none: `verify-full` under Lambda; on the dev
    /// server `disable` for a loopback host and `verify-full` for any other.
    package init(url: String, lambda: Bool) throws(InvalidURL) {
        let rest: Substring
        if url.hasPrefix("postgres://") {
            rest = url.dropFirst("postgres://".count)
        } else if url.hasPrefix("postgresql://") {
            rest = url.dropFirst("postgresql://".count)
        } else {
            throw InvalidURL(reason: "it must start with postgres:// or postgresql://")
        }
        let parsed: ConnectionURL
        do throws(HostAndPort.Invalid) {
            parsed = try ConnectionURL(parsingAfterScheme: rest, defaultPort: 5432)
        } catch {
            throw InvalidURL(reason: error.reason)
        }
        var mode: SSLMode?
        caFile = nil
        for (name, value) in parsed.query {
            switch name {
            case "sslmode":
                guard let chosen = SSLMode(rawValue: value) else { throw InvalidURL(reason: "sslmode=\(value) is not one the store speaks (disable, require or verify-full)") }
                mode = chosen
            case "sslrootcert":
                caFile = value
            default:
                throw InvalidURL(reason: "the parameters it takes are sslmode and sslrootcert, not \(name)")
            }
        }
        guard let path = parsed.path, let database = PercentDecoding.decode(path), !database.isEmpty else { throw InvalidURL(reason: "it names no database") }
        self.database = database
        guard let user = parsed.user else { throw InvalidURL(reason: "it names no user") }
        self.user = user
        password = parsed.password
        host = parsed.host
        port = parsed.port
        let loopback = ["localhost", "127.0.0.1", "::1"].contains(host)
        sslMode = mode ?? (lambda || !loopback ? .verifyFull : .disable)
    }

    /// `host:port`, for messages (never the password).
    package var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
