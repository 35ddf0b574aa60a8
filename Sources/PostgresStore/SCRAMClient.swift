import Digest

/// SCRAM-SHA-256 (RFC 7677, the mechanism of RFC 5802), as PostgreSQL speaks it ("SCRAM-SHA-256
/// Authentication", PostgreSQL documentation §55.3.1): no channel binding (`n,,`), the user name
/// left empty (the server uses the startup message's), the password as given (PostgreSQL applies
/// SASLprep itself and accepts a password that SASLprep would not change, which is any ASCII one).
/// The server's final signature is checked, so a server that does not know the password cannot
/// pass itself off as one that does.
struct SCRAMClient {
    let password: String
    /// Empty for PostgreSQL, which takes the user from the startup message; RFC 7677's example
    /// sends one.
    let user: String
    let clientNonce: String
    private(set) var clientFirstBare = ""
    private var expectedServerSignature: [UInt8] = []

    init(password: String, user: String = "", clientNonce: String = SCRAMClient.makeNonce()) {
        self.password = password
        self.user = user
        self.clientNonce = clientNonce
    }

    /// 18 random bytes, Base64: printable, without commas (RFC 5802 §5.1, `r=`).
    static func makeNonce() -> String {
        Base64.encode((0..<18).map { _ in UInt8.random(in: 0...255) })
    }

    /// `client-first-message`.
    mutating func firstMessage() -> [UInt8] {
        clientFirstBare = "n=\(user),r=\(clientNonce)"
        return Array("n,,\(clientFirstBare)".utf8)
    }

    /// `client-final-message` for the server's `server-first-message`.
    mutating func finalMessage(serverFirst: [UInt8]) throws(PostgresError) -> [UInt8] {
        let text = String(decoding: serverFirst, as: UTF8.self)
        var attributes: [Character: String] = [:]
        for part in text.split(separator: ",") {
            guard let key = part.first, part.dropFirst().first == "=" else { throw .authentication("a SCRAM server-first message that is not attributes") }
            attributes[key] = String(part.dropFirst(2))
        }
        guard let nonce = attributes["r"], nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count else {
            throw .authentication("the server's SCRAM nonce does not extend ours")
        }
        guard let saltText = attributes["s"], let salt = Base64.decode(saltText), let iterationText = attributes["i"],
              let iterations = Int(iterationText), iterations >= 1, iterations <= 10_000_000 else {
            throw .authentication("a SCRAM server-first message without a usable salt and iteration count")
        }
        let saltedPassword = SHA256.pbkdf2(password: Array(password.utf8), salt: salt, iterations: iterations)
        let clientKey = SHA256.hmac(key: saltedPassword, Array("Client Key".utf8))
        let storedKey = SHA256.hash(clientKey)
        let withoutProof = "c=biws,r=\(nonce)" // biws: Base64 of "n,,"
        let authMessage = Array("\(clientFirstBare),\(text),\(withoutProof)".utf8)
        let clientSignature = SHA256.hmac(key: storedKey, authMessage)
        let proof = zip(clientKey, clientSignature).map { $0 ^ $1 }
        let serverKey = SHA256.hmac(key: saltedPassword, Array("Server Key".utf8))
        expectedServerSignature = SHA256.hmac(key: serverKey, authMessage)
        return Array("\(withoutProof),p=\(Base64.encode(proof))".utf8)
    }

    /// Checks the server's `server-final-message` (`v=<signature>`).
    func verify(serverFinal: [UInt8]) throws(PostgresError) {
        let text = String(decoding: serverFinal, as: UTF8.self)
        if text.hasPrefix("e=") { throw .authentication("the server refused the SCRAM proof: \(text.dropFirst(2))") }
        guard text.hasPrefix("v="), let signature = Base64.decode(String(text.dropFirst(2).prefix { $0 != "," })) else {
            throw .authentication("a SCRAM server-final message without a signature")
        }
        var difference: UInt8 = signature.count == expectedServerSignature.count ? 0 : 1
        for (a, b) in zip(signature, expectedServerSignature) { difference |= a ^ b }
        guard difference == 0 else { throw .authentication("the server's SCRAM signature does not verify: it does not know the password") }
    }
}
