/// The keys a request is signed with: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, for the
/// temporary credentials Lambda hands a function, `AWS_SESSION_TOKEN`. Printing them shows the key
/// id only, so that no log line, error message or response can carry a secret.
package struct AWSCredentials: Sendable, CustomStringConvertible {
    package let accessKeyID: String
    package let secretAccessKey: String
    package let sessionToken: String?

    package init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    package var description: String { "AWSCredentials(\(accessKeyID), secret hidden\(sessionToken == nil ? "" : ", session token hidden"))" }
}
