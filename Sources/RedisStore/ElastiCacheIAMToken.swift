package import AWSSigning

/// The password an IAM-enabled ElastiCache user connects with ("Authenticating with IAM",
/// ElastiCache User Guide): a SigV4 presigned `GET http://<cache name>/?Action=connect&User=<user>`
/// (with `ResourceType=ServerlessCache` for a serverless cache), service `elasticache`, valid
/// 15 minutes, without its scheme. It is made anew for each connection, so none is ever sent
/// stale; a connection it opened stays authenticated (for up to 12 hours, which
/// `RedisClient.maximumConnectionAge` stays under). No password is kept in the environment.
package struct ElastiCacheIAMToken: Sendable {
    /// The serverless cache's name, or the replication group's id, in lower case as ElastiCache
    /// requires.
    package let cacheName: String
    package let user: String
    package let serverless: Bool
    private let signer: SigV4Signer
    static let lifetimeSeconds = 900

    package init(cacheName: String, user: String, serverless: Bool, region: String, credentials: AWSCredentials) {
        self.cacheName = cacheName.lowercased()
        self.user = user
        self.serverless = serverless
        signer = SigV4Signer(credentials: credentials, region: region, service: "elasticache")
    }

    package func token(secondsSince1970: Int) -> String {
        var query: [(name: String, value: String)] = [("Action", "connect"), ("User", user)]
        if serverless { query.append(("ResourceType", "ServerlessCache")) }
        return signer.presignedGET(host: cacheName, query: query, expiresSeconds: Self.lifetimeSeconds, secondsSince1970: secondsSince1970)
    }
}
