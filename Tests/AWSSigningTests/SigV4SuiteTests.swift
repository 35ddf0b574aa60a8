@testable import AWSSigning
import HTTPCore
import Glibc
import JSON
import Testing
import TestSupport

/// Every case of AWS's SigV4 test suite (aws-c-auth, `Fixtures/aws-sigv4`): the canonical request,
/// the string to sign, the signature and the `Authorization` field, byte for byte.
@Suite("SigV4: AWS's test suite")
struct SigV4SuiteTests {
    static let folder: String = {
        let path = #filePath
        return String(path[..<path.lastIndex(of: "/")!]) + "/Fixtures/aws-sigv4"
    }()

    static let cases: [String] = directoryNames(folder).filter { !$0.hasPrefix(".") }

    static func read(_ path: String) -> String? {
        readFile(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `request.txt`: a request line, `Name:value` lines (a line starting with spaces continues the
    /// one before), an empty line, the body. Read leniently: the suite's requests are not all valid HTTP.
    static func parseRequest(_ text: String) -> SigV4Signer.Request {
        var lines = text.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        let method = String(requestLine.prefix { $0 != " " })
        let target = String(requestLine.dropFirst(method.count + 1).dropLast(" HTTP/1.1".count))
        var headers: [(name: String, value: String)] = []
        var body: [String] = []
        var inBody = false
        for line in lines {
            if inBody { body.append(line); continue }
            if line.isEmpty { inBody = true; continue }
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: " \t")
                continue
            }
            let colon = line.firstIndex(of: ":")!
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
        return SigV4Signer.Request(method: method, target: target, headers: headers, body: Array(body.joined(separator: "\n").utf8))
    }

    /// `2015-08-30T12:36:00Z` as Unix seconds.
    static func seconds(_ stamp: String) -> Int {
        let digits = stamp.split(whereSeparator: { !$0.isNumber }).map { Int($0)! }
        let (year, month, day) = (digits[0], digits[1], digits[2])
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return (era * 146_097 + doe - 719_468) * 86_400 + digits[3] * 3600 + digits[4] * 60 + digits[5]
    }

    /// A case's `context.json` and the signer it describes.
    static func signer(_ base: String) throws -> (JSONValue, SigV4Signer) {
        let context = try JSONValue.parse(Array(try #require(read("\(base)/context.json")).utf8))
        let credentials = AWSCredentials(accessKeyID: try #require(context["credentials"]?["access_key_id"]?.string),
                                         secretAccessKey: try #require(context["credentials"]?["secret_access_key"]?.string),
                                         sessionToken: context["credentials"]?["token"]?.string)
        return (context, SigV4Signer(credentials: credentials, region: try #require(context["region"]?.string), service: try #require(context["service"]?.string)))
    }

    @Test("the suite is all there")
    func suiteIsThere() {
        #expect(Self.cases.count == 38)
    }

    @Test("header signing", arguments: cases)
    func headerSigning(_ name: String) throws {
        let base = "\(Self.folder)/\(name)"
        let (context, signer) = try Self.signer(base)
        let request = Self.parseRequest(try #require(Self.read("\(base)/request.txt")))
        let signature = signer.sign(request, secondsSince1970: Self.seconds(try #require(context["timestamp"]?.string)),
                                    normalizePath: context["normalize"]?.bool ?? true, signBodyHeader: context["sign_body"]?.bool ?? false,
                                    omitSessionToken: context["omit_session_token"]?.bool ?? false)
        #expect(signature.canonicalRequest == Self.read("\(base)/header-canonical-request.txt"), "\(name): canonical request")
        #expect(signature.stringToSign == Self.read("\(base)/header-string-to-sign.txt"), "\(name): string to sign")
        #expect(signature.signature == Self.read("\(base)/header-signature.txt")?.trimmingCharacters(in: "\n"), "\(name): signature")
        let signed = try #require(Self.read("\(base)/header-signed-request.txt"))
        let authorization = signature.headersToAdd.first { $0.name == "Authorization" }?.value ?? "-"
        #expect(signed.contains("Authorization:\(authorization)"), "\(name): Authorization")
    }

    /// The suite's `GET` cases that sign nothing but `Host`, with a normalized path: the requests
    /// an IAM token is (RDS, ElastiCache), signed in the query string.
    static let queryCases: [String] = cases.filter { name in
        guard let text = read("\(folder)/\(name)/request.txt"), let context = read("\(folder)/\(name)/context.json") else { return false }
        let request = parseRequest(text)
        return request.method == "GET" && request.headers.count == 1 && request.headers[0].name.lowercased() == "host"
            && !context.contains("\"normalize\": false") && !context.contains("omit_session_token")
    }

    @Test("query signing (presigned GET): the signature of each case that fits, byte for byte", arguments: queryCases)
    func querySigning(_ name: String) throws {
        let base = "\(Self.folder)/\(name)"
        let (context, signer) = try Self.signer(base)
        let request = Self.parseRequest(try #require(Self.read("\(base)/request.txt")))
        let (path, query) = SigV4Signer.split(request.target)
        let pairs = query.split(separator: "&").map { item -> (name: String, value: String) in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (PercentDecoding.decode(parts[0]) ?? String(parts[0]), parts.count > 1 ? (PercentDecoding.decode(parts[1]) ?? String(parts[1])) : "")
        }
        let token = signer.presignedGET(host: request.headers[0].value, path: String(path), query: pairs,
                                        expiresSeconds: try #require(context["expiration_in_seconds"]?.int),
                                        secondsSince1970: Self.seconds(try #require(context["timestamp"]?.string)))
        let expected = try #require(Self.read("\(base)/query-signature.txt")).trimmingCharacters(in: "\n")
        #expect(token.hasSuffix("&X-Amz-Signature=\(expected)"), "\(name): \(token)")
    }

    @Test("the suite has query cases to check")
    func queryCasesThere() {
        #expect(Self.queryCases.count >= 10, "\(Self.queryCases)")
    }

    /// Fixed-clock tokens of the forms RDS and ElastiCache take, and S3's worked example
    /// ("Authenticating Requests: Using Query Parameters", whose signature the page gives): the
    /// tokens from botocore 1.43.11's `SigV4QueryAuth` at the same instant (Fixtures/README.md).
    @Test("IAM tokens for RDS and ElastiCache, and S3's documented presigned URL, at a fixed clock")
    func iamTokens() {
        let credentials = AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        let at = 1_369_353_600 // 2013-05-24T00:00:00Z
        let s3 = SigV4Signer(credentials: credentials, region: "us-east-1", service: "s3")
            .presignedGET(host: "examplebucket.s3.amazonaws.com", path: "/test.txt", query: [], expiresSeconds: 86400, secondsSince1970: at,
                          payloadHash: "UNSIGNED-PAYLOAD")
        #expect(s3.hasSuffix("X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"), "\(s3)")
        let rds = SigV4Signer(credentials: credentials, region: "us-east-1", service: "rds-db")
            .presignedGET(host: "mydb.cluster-abc.us-east-1.rds.amazonaws.com:5432", query: [("Action", "connect"), ("DBUser", "app_user")],
                          expiresSeconds: 900, secondsSince1970: at)
        #expect(rds == "mydb.cluster-abc.us-east-1.rds.amazonaws.com:5432/?Action=connect&DBUser=app_user&X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Frds-db%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=900"
            + "&X-Amz-SignedHeaders=host&X-Amz-Signature=4e3fe78c3c25bc55594c1626154c04765b7171838de2cb9fc093a3c7a1bea050")
        let cache = SigV4Signer(credentials: credentials, region: "us-east-1", service: "elasticache")
            .presignedGET(host: "my-cache", query: [("Action", "connect"), ("User", "app-user"), ("ResourceType", "ServerlessCache")],
                          expiresSeconds: 900, secondsSince1970: at)
        #expect(cache.hasSuffix("X-Amz-Signature=8b0f9c12ea8906cbe9737e6aa26aa8b4698fe402dffb226acf7f4a3bd00b2694"), "\(cache)")
        let withToken = AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                       sessionToken: "FQoGZXIvYXdzEXAMPLETOKEN+/=")
        let session = SigV4Signer(credentials: withToken, region: "eu-west-1", service: "elasticache")
            .presignedGET(host: "my-cache", query: [("Action", "connect"), ("User", "app-user")], expiresSeconds: 900, secondsSince1970: at)
        #expect(session.contains("&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLETOKEN%2B%2F%3D&"), "\(session)")
        #expect(session.hasSuffix("X-Amz-Signature=fbc5fe1e8b02c4d9ee53fe28c4fecd4a93c150fc683cfe937f37acf311669b84"), "\(session)")
    }

    @Test("credentials never print their secrets")
    func secretsHidden() {
        let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG", sessionToken: "token-secret")
        let text = "\(credentials) \(String(describing: credentials)) \(String(reflecting: credentials))"
        #expect(!text.contains("wJalrXUtnFEMI") && !text.contains("token-secret"))
        #expect(text.contains("AKIDEXAMPLE"))
    }
}

extension String {
    func components(separatedBy separator: String) -> [String] {
        split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }

    func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, set.contains(last) { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
