import AWSSigning
import HTTPCore
import PostgresStore

/// The PostgreSQL store's settings from the environment: `SWIFTLET_POSTGRES_URL` (libpq's form
/// and names), `SWIFTLET_POSTGRES_SHARDS`, and for RDS IAM authentication
/// `SWIFTLET_POSTGRES_IAM=1` with the function's credentials, so that no password is in the
/// environment.
struct PostgresSettings {
    var configuration: PostgresConfiguration
    var token: RDSIAMToken?
    var shards: Int

    init(environment: Environment, region: String, lambda: Bool) throws {
        guard let url = environment["SWIFTLET_POSTGRES_URL"] else {
            throw ConfigurationError.cannotStart("the PostgreSQL store needs SWIFTLET_POSTGRES_URL (postgres://user[:password]@host[:port]/database?sslmode=verify-full)")
        }
        do {
            configuration = try PostgresConfiguration(url: url, lambda: lambda)
        } catch {
            throw ConfigurationError.cannotStart("\(error)")
        }
        if let table = environment["SWIFTLET_TABLE"] {
            let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
            guard let first = table.utf8.first, !digits.contains(first),
                  table.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || digits.contains($0) }) else {
                throw ConfigurationError.invalidValue(name: "SWIFTLET_TABLE", value: table, expected: "a lower-case SQL name (letters, digits, _)")
            }
            configuration.table = table
        }
        shards = 4
        if let text = environment["SWIFTLET_POSTGRES_SHARDS"] {
            guard let count = Int(text), (1...100).contains(count) else {
                throw ConfigurationError.invalidValue(name: "SWIFTLET_POSTGRES_SHARDS", value: text, expected: "a number from 1 to 100")
            }
            shards = count
        }
        token = nil
        guard environment["SWIFTLET_POSTGRES_IAM"] == "1" else { return }
        guard configuration.sslMode != .disable else {
            throw ConfigurationError.cannotStart("SWIFTLET_POSTGRES_IAM=1 needs TLS, as RDS's IAM authentication does: leave sslmode at verify-full")
        }
        guard configuration.password == nil else {
            throw ConfigurationError.cannotStart("SWIFTLET_POSTGRES_IAM=1 makes the password itself: leave it out of SWIFTLET_POSTGRES_URL")
        }
        guard let keyID = environment["AWS_ACCESS_KEY_ID"], let secret = environment["AWS_SECRET_ACCESS_KEY"], region != "local" else {
            throw ConfigurationError.cannotStart("SWIFTLET_POSTGRES_IAM=1 signs with the function's credentials: it needs AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION (Lambda sets them)")
        }
        let credentials = AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"])
        token = RDSIAMToken(host: configuration.host, port: configuration.port, user: configuration.user, region: region, credentials: credentials)
    }

    /// The password each new session sends: the URL's, or a fresh IAM token.
    var password: (@Sendable () -> String?)? {
        guard let token else { return nil }
        return { token.token(secondsSince1970: Int(WallClock.nowMilliseconds() / 1000)) }
    }
}
