package import AWSSigning

/// The password an RDS or Aurora database user with IAM authentication connects with ("Connecting
/// to your DB instance using IAM authentication", RDS User Guide): a SigV4 presigned
/// `GET https://<host>:<port>/?Action=connect&DBUser=<user>`, service `rds-db`, valid 15 minutes,
/// without its scheme. Made anew for each session, so none is sent stale; a session it opened
/// stays open after the token expires. TLS is required with it, and the store asks for
/// `verify-full` by default.
package struct RDSIAMToken: Sendable {
    package let host: String
    package let port: UInt16
    package let user: String
    private let signer: SigV4Signer

    package init(host: String, port: UInt16, user: String, region: String, credentials: AWSCredentials) {
        self.host = host
        self.port = port
        self.user = user
        signer = SigV4Signer(credentials: credentials, region: region, service: "rds-db")
    }

    package func token(secondsSince1970: Int) -> String {
        signer.presignedGET(host: "\(host):\(port)", query: [("Action", "connect"), ("DBUser", user)], expiresSeconds: 900,
                            secondsSince1970: secondsSince1970)
    }
}
