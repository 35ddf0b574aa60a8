/// The keys a request is signed with: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, for the
/// temporary credentials Lambda hands a function, `AWS_SESSION_TOKEN`. Printing them shows the key
/// id only, so that no log line, error message or response can carry a secret.
public struct AWSCredentials: Sendable, CustomStringConvertible {
    public let accessKeyID: String
    public let secretAccessKey: String
    public let sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    public var description: String { "AWSCredentials(\(accessKeyID), secret hidden\(sessionToken == nil ? "" : ", session token hidden"))" }
}
