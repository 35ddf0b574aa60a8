import AWSSigning
@testable import DynamoDBStore
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

    @Test("the suite is all there")
    func suiteIsThere() {
        #expect(Self.cases.count == 38)
    }

    @Test("header signing", arguments: cases)
    func headerSigning(_ name: String) throws {
        let base = "\(Self.folder)/\(name)"
        let context = try JSONValue.parse(Array(try #require(Self.read("\(base)/context.json")).utf8))
        let credentials = AWSCredentials(accessKeyID: try #require(context["credentials"]?["access_key_id"]?.string),
                                         secretAccessKey: try #require(context["credentials"]?["secret_access_key"]?.string),
                                         sessionToken: context["credentials"]?["token"]?.string)
        let signer = SigV4Signer(credentials: credentials, region: try #require(context["region"]?.string), service: try #require(context["service"]?.string))
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
