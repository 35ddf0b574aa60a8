import Digest
import HTTPCore

/// AWS Signature Version 4 for requests signed in headers (AWS General Reference, "Create a signed
/// AWS API request"): the canonical request, the string to sign, the signing key derived from the
/// secret by date, region and service, and the `Authorization` field. It reproduces every case of
/// AWS's own test suite (`Tests/DynamoDBStoreTests/Fixtures/aws-sigv4`).
package struct SigV4Signer: Sendable {
    /// A request as the signer sees it: the target as on the request line, every field (repeats
    /// kept, in order), and the body.
    package struct Request: Sendable {
        package var method: String
        /// Path and query, as sent (`/`, `/a%20b?x=1`).
        package var target: String
        package var headers: [(name: String, value: String)]
        package var body: [UInt8]

        package init(method: String, target: String, headers: [(name: String, value: String)], body: [UInt8] = []) {
            self.method = method
            self.target = target
            self.headers = headers
            self.body = body
        }
    }

    /// The outcome: the fields to add to the request, and the intermediate texts (for tests).
    package struct Signature: Sendable {
        package var canonicalRequest: String
        package var stringToSign: String
        package var signature: String
        /// `X-Amz-Date`, `X-Amz-Security-Token` (unless omitted), `x-amz-content-sha256` (when the
        /// body is signed in a field) and `Authorization`, in that order.
        package var headersToAdd: [(name: String, value: String)]
    }

    package let credentials: AWSCredentials
    package let region: String
    package let service: String

    package init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Signs `request` at `secondsSince1970`. `normalizePath` removes `.` and `..` segments and
    /// repeated slashes (every service but S3); `signBodyHeader` adds `x-amz-content-sha256`;
    /// `omitSessionToken` leaves the token out of the signature (added after, as STS wants).
    package func sign(_ request: Request, secondsSince1970: Int, normalizePath: Bool = true, signBodyHeader: Bool = false,
                     omitSessionToken: Bool = false) -> Signature {
        let amzDate = HTTPDate.iso8601Basic(secondsSince1970: secondsSince1970)
        let day = String(amzDate.prefix(8))
        let payloadHash = Hex.lowercase(SHA256.hash(request.body))

        var added: [(name: String, value: String)] = [("X-Amz-Date", amzDate)]
        if let token = credentials.sessionToken, !omitSessionToken { added.append(("X-Amz-Security-Token", token)) }
        if signBodyHeader { added.append(("x-amz-content-sha256", payloadHash)) }

        let (path, query) = Self.split(request.target)
        let canonicalHeaders = Self.canonicalHeaders(request.headers + added)
        let signedHeaders = canonicalHeaders.map(\.name).joined(separator: ";")
        let canonicalRequest = [
            request.method,
            Self.canonicalPath(path, normalize: normalizePath),
            Self.canonicalQuery(query),
            canonicalHeaders.map { "\($0.name):\($0.value)\n" }.joined(),
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")

        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Hex.lowercase(SHA256.hash(Array(canonicalRequest.utf8)))].joined(separator: "\n")
        var key = SHA256.hmac(key: Array("AWS4\(credentials.secretAccessKey)".utf8), Array(day.utf8))
        for part in [region, service, "aws4_request"] { key = SHA256.hmac(key: key, Array(part.utf8)) }
        let signature = Hex.lowercase(SHA256.hmac(key: key, Array(stringToSign.utf8)))

        var fields = added
        if let token = credentials.sessionToken, omitSessionToken { fields.append(("X-Amz-Security-Token", token)) }
        fields.append(("Authorization", "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"))
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature, headersToAdd: fields)
    }

    // MARK: Canonical forms

    static func split(_ target: String) -> (Substring, Substring) {
        guard let mark = target.firstIndex(of: "?") else { return (target[...], ""[...]) }
        return (target[..<mark], target[target.index(after: mark)...])
    }

    /// Each segment URI-encoded (so an escape already there is encoded again, as every service but
    /// S3 expects), after removing dot segments and empty ones when normalizing (RFC 3986 §5.2.4).
    static func canonicalPath(_ path: Substring, normalize: Bool) -> String {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if segments.first == "" { segments.removeFirst() }
        if normalize {
            let trailingSlash = path.count > 1 && (path.hasSuffix("/") || path.hasSuffix("/.") || path.hasSuffix("/.."))
            var kept: [String] = []
            for segment in segments {
                switch segment {
                case "", ".": continue
                case "..": if !kept.isEmpty { kept.removeLast() }
                default: kept.append(segment)
                }
            }
            let joined = "/" + kept.map { uriEncode($0) }.joined(separator: "/")
            return trailingSlash && !kept.isEmpty ? joined + "/" : joined
        }
        return "/" + segments.map { uriEncode($0) }.joined(separator: "/")
    }

    /// Pairs decoded, encoded again, sorted by name then value; a name without `=` has an empty value.
    static func canonicalQuery(_ query: Substring) -> String {
        guard !query.isEmpty else { return "" }
        var pairs: [(String, String)] = []
        for item in query.split(separator: "&") {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentDecoding.decode(parts[0]) ?? String(parts[0])
            let value = parts.count > 1 ? (PercentDecoding.decode(parts[1]) ?? String(parts[1])) : ""
            pairs.append((uriEncode(name), uriEncode(value)))
        }
        pairs.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Names lowercased and sorted; values trimmed with inner runs of spaces made one, and the
    /// values of a repeated name joined by commas in the order they came.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for header in headers {
            let name = header.name.lowercased()
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(collapse(header.value))
        }
        return order.sorted().map { ($0, values[$0]!.joined(separator: ",")) }
    }

    private static func collapse(_ value: String) -> String {
        var out = ""
        var space = false
        for character in value {
            if character == " " || character == "\t" || character == "\n" || character == "\r" {
                space = true
                continue
            }
            if space && !out.isEmpty { out.append(" ") }
            space = false
            out.append(character)
        }
        return out
    }

    /// RFC 3986 unreserved characters as they are, every other byte as `%XX` (uppercase).
    static func uriEncode(_ text: String) -> String {
        PercentEncoding.encode(text)
    }
}

extension SigV4Signer {
    /// The SHA-256 of an empty payload, what a request without a body signs.
    package static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// A `GET` signed in its query string ("Authenticating Requests: Using Query Parameters",
    /// Amazon S3 API Reference; the same SigV4 with the signature's parts as parameters): only
    /// `host` is signed, and the result is `host/path?query&X-Amz-Signature=…`, without a scheme.
    /// That is the form of an RDS IAM database token (`rds-db`, `Action=connect&DBUser=…`) and of
    /// an ElastiCache IAM token (`elasticache`, `Action=connect&User=…`), which the server
    /// checks as a password, and of a presigned S3 URL (with `payloadHash: "UNSIGNED-PAYLOAD"`).
    package func presignedGET(host: String, path: String = "/", query: [(name: String, value: String)], expiresSeconds: Int,
                              secondsSince1970: Int, payloadHash: String = SigV4Signer.emptyPayloadHash) -> String {
        let amzDate = HTTPDate.iso8601Basic(secondsSince1970: secondsSince1970)
        let day = String(amzDate.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        var parameters = query
        parameters.append(("X-Amz-Algorithm", "AWS4-HMAC-SHA256"))
        parameters.append(("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope)"))
        parameters.append(("X-Amz-Date", amzDate))
        parameters.append(("X-Amz-Expires", String(expiresSeconds)))
        if let token = credentials.sessionToken { parameters.append(("X-Amz-Security-Token", token)) }
        parameters.append(("X-Amz-SignedHeaders", "host"))
        var encoded = parameters.map { (Self.uriEncode($0.name), Self.uriEncode($0.value)) }
        encoded.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        let canonicalQuery = encoded.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let canonicalRequest = ["GET", Self.canonicalPath(path[...], normalize: true), canonicalQuery, "host:\(host)\n", "host", payloadHash]
            .joined(separator: "\n")
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Hex.lowercase(SHA256.hash(Array(canonicalRequest.utf8)))].joined(separator: "\n")
        var key = SHA256.hmac(key: Array("AWS4\(credentials.secretAccessKey)".utf8), Array(day.utf8))
        for part in [region, service, "aws4_request"] { key = SHA256.hmac(key: key, Array(part.utf8)) }
        let signature = Hex.lowercase(SHA256.hmac(key: key, Array(stringToSign.utf8)))
        return "\(host)\(path)?\(canonicalQuery)&X-Amz-Signature=\(signature)"
    }
}
