import AWSSigning
import HTTPCore
import RedisStore

/// The Redis store's settings from the environment: `SWIFTLET_REDIS_URL`, and for ElastiCache's
/// IAM authentication `SWIFTLET_REDIS_IAM=1` with `SWIFTLET_REDIS_CACHE` (the serverless cache's
/// name or the replication group's id) and the function's credentials, so that no password is in
/// the environment.
struct RedisSettings {
    var configuration: RedisConfiguration
    var token: ElastiCacheIAMToken?

    init(environment: Environment, region: String) throws {
        guard let url = environment["SWIFTLET_REDIS_URL"] else {
            throw ConfigurationError.cannotStart("the Redis store needs SWIFTLET_REDIS_URL (redis://[user[:password]@]host[:port][/db], rediss:// for TLS)")
        }
        do {
            configuration = try RedisConfiguration(url: url)
        } catch {
            throw ConfigurationError.cannotStart("\(error)")
        }
        // ElastiCache Serverless answers writes on 6379 only; 6380 reads from replicas ("Reading
        // from replicas", ElastiCache Serverless), where HINCRBY is refused.
        if configuration.port == 6380, configuration.host.hasSuffix(".cache.amazonaws.com"), configuration.host.contains(".serverless.") {
            throw ConfigurationError.cannotStart("SWIFTLET_REDIS_URL names port 6380, ElastiCache Serverless's read-from-replica port; visits are writes: use 6379")
        }
        token = nil
        guard environment["SWIFTLET_REDIS_IAM"] == "1" else { return }
        guard configuration.tls else {
            throw ConfigurationError.cannotStart("SWIFTLET_REDIS_IAM=1 needs TLS, as ElastiCache's IAM authentication does: use rediss://")
        }
        guard let user = configuration.user else {
            throw ConfigurationError.cannotStart("SWIFTLET_REDIS_IAM=1 needs the IAM-enabled user in SWIFTLET_REDIS_URL (rediss://user@host:6379)")
        }
        guard configuration.password == nil else {
            throw ConfigurationError.cannotStart("SWIFTLET_REDIS_IAM=1 makes the password itself: leave it out of SWIFTLET_REDIS_URL")
        }
        guard let cache = environment["SWIFTLET_REDIS_CACHE"], !cache.isEmpty else {
            throw ConfigurationError.cannotStart("SWIFTLET_REDIS_IAM=1 needs SWIFTLET_REDIS_CACHE, the serverless cache's name (or the replication group's id)")
        }
        guard let keyID = environment["AWS_ACCESS_KEY_ID"], let secret = environment["AWS_SECRET_ACCESS_KEY"], region != "local" else {
            throw ConfigurationError.cannotStart("SWIFTLET_REDIS_IAM=1 signs with the function's credentials: it needs AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION (Lambda sets them)")
        }
        let credentials = AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"])
        token = ElastiCacheIAMToken(cacheName: cache, user: user, serverless: environment["SWIFTLET_REDIS_SERVERLESS"] != "0",
                                    region: region, credentials: credentials)
    }

    /// The password each new connection sends: the URL's, or a fresh IAM token.
    var password: (@Sendable () -> String?)? {
        guard let token else { return nil }
        return { token.token(secondsSince1970: Int(WallClock.nowMilliseconds() / 1000)) }
    }
}
