import HTTPTypes
import SwiftletApp
import TestSupport
import Testing
import VisitStore

/// The route contract of `DESIGN.md` as one table, run against the responder with no socket and
/// through the real server.
@Suite("route contract")
struct RouteContractTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var headers: [(String, String)] = []
        var status: Int
        var contentType: String?
        /// Fields that must be there: with a value to match exactly, or `nil` for any value.
        var fields: [(String, String?)] = []
        var bodyContains: [String] = []
        var testDescription: String { "\(method) \(path)\(headers.isEmpty ? "" : " \(headers.map { "\($0.0): \($0.1)" })") → \(status)" }
    }

    static let assets = try! SwiftletApp.loadAssets(configuration: AppConfiguration(publicFolder: Repository.publicFolder))
    static let css = assets.path(of: "app.css")!
    static let js = assets.path(of: "app.js")!
    static let cssHash = assets.assets.first { $0.logicalName == "app.css" }!.hash
    static let htmlSecurity: [(String, String?)] = [
        ("Content-Security-Policy", nil), ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", nil), ("X-Frame-Options", "DENY"), ("Permissions-Policy", nil), ("X-Request-Id", nil),
    ]
    static let immutable = "public, max-age=31536000, immutable"

    static let cases: [Case] = [
        Case(method: .get, path: "/", status: 200, contentType: "text/html; charset=utf-8",
             fields: [("Cache-Control", "no-store")] + htmlSecurity, bodyContains: ["us-east-1", css, js, "<!doctype html>"]),
        Case(method: .head, path: "/", status: 200, contentType: "text/html; charset=utf-8", fields: [("Cache-Control", "no-store")]),
        Case(method: .get, path: "/api/visits", status: 200, contentType: "application/json",
             fields: [("X-Request-Id", nil), ("Cache-Control", "no-store")], bodyContains: [#""visits":"#, #""regions":{"#]),
        Case(method: .post, path: "/api/visits", status: 200, contentType: "application/json", bodyContains: [#""us-east-1":"#]),
        Case(method: .get, path: "/health", status: 200, contentType: "application/json", bodyContains: [#"{"status":"ok""#]),
        Case(method: .head, path: "/health", status: 200, contentType: "application/json"),
        Case(method: .get, path: css, status: 200, contentType: "text/css; charset=utf-8",
             fields: [("Cache-Control", immutable), ("ETag", "\"\(cssHash)\""), ("Vary", "Accept-Encoding")], bodyContains: [":root"]),
        Case(method: .get, path: css, headers: [("Accept-Encoding", "gzip, deflate, br")], status: 200, contentType: "text/css; charset=utf-8",
             fields: [("Content-Encoding", "gzip"), ("Cache-Control", immutable), ("ETag", "\"\(cssHash)-gz\""), ("Vary", "Accept-Encoding")]),
        Case(method: .get, path: css, headers: [("Accept-Encoding", "gzip;q=0")], status: 200, contentType: "text/css; charset=utf-8", bodyContains: [":root"]),
        Case(method: .get, path: css, headers: [("If-None-Match", "\"\(cssHash)\"")], status: 304, fields: [("ETag", nil), ("Cache-Control", immutable)]),
        Case(method: .get, path: css, headers: [("If-None-Match", "W/\"other\", \"\(cssHash)-gz\""), ("Accept-Encoding", "gzip")], status: 304),
        Case(method: .get, path: css, headers: [("If-None-Match", "\"other\"")], status: 200),
        Case(method: .get, path: js, status: 200, contentType: "text/javascript; charset=utf-8", fields: [("Cache-Control", immutable)], bodyContains: ["/api/visits"]),
        Case(method: .head, path: js, status: 200, contentType: "text/javascript; charset=utf-8"),
        Case(method: .get, path: "/favicon.ico", status: 200, contentType: "image/x-icon", fields: [("Cache-Control", "public, max-age=300"), ("ETag", nil)]),
        Case(method: .get, path: "/robots.txt", status: 200, contentType: "text/plain; charset=utf-8", fields: [("ETag", nil)], bodyContains: ["User-agent"]),
        Case(method: .get, path: "/no-such-page", status: 404, contentType: "text/html; charset=utf-8", fields: htmlSecurity, bodyContains: ["404", css]),
        Case(method: .get, path: "/api/no-such-thing", status: 404, contentType: "application/json", bodyContains: [#""status":404"#, #""requestId":""#]),
        Case(method: .delete, path: "/api/visits", status: 405, contentType: "application/json", fields: [("Allow", "GET, HEAD, POST")]),
        Case(method: .post, path: "/health", status: 405, fields: [("Allow", "GET, HEAD")]),
        Case(method: .post, path: "/", status: 405, contentType: "text/html; charset=utf-8", fields: [("Allow", "GET, HEAD")]),
        Case(method: .get, path: "/assets/app.0000000000000000.css", status: 404),
        Case(method: .get, path: "/assets/app.css", status: 404),
        Case(method: .get, path: "/app.css", status: 200, contentType: "text/css; charset=utf-8", fields: [("Cache-Control", "public, max-age=300")]),
    ]

    static func check(_ response: Observed, _ test: Case, bodyExpected: Bool) {
        #expect(response.status == test.status, "\(test.testDescription): status")
        if let type = test.contentType { #expect(response.header("Content-Type") == type, "\(test.testDescription): Content-Type") }
        for (name, value) in test.fields {
            if let value { #expect(response.header(name) == value, "\(test.testDescription): \(name)") }
            else { #expect(response.header(name) != nil, "\(test.testDescription): \(name) missing") }
        }
        #expect(response.header("X-Request-Id") != nil)
        if bodyExpected {
            for text in test.bodyContains { #expect(response.text.contains(text), "\(test.testDescription): body lacks \(text)") }
        }
    }

    @Test("without a socket", arguments: cases)
    func direct(_ test: Case) async throws {
        let app = try AppHarness()
        let response = try await app.direct(test.method, test.path, headers: test.headers)
        Self.check(response, test, bodyExpected: test.method != .head)
    }

    @Test("through the real server", arguments: cases)
    func overTheWire(_ test: Case) throws {
        let app = try AppHarness()
        try app.overTheWire { client, _ in
            let response = try #require(try client.request(test.method.rawValue, test.path, headers: test.headers)).observed
            Self.check(response, test, bodyExpected: test.method != .head)
            #expect(response.header("Date") != nil)
            if test.status != 304 { #expect(response.header("Content-Length") != nil) }
            if test.method == .head { #expect(response.body.isEmpty) }
            // The connection stays usable after every answer.
            #expect(try client.request("GET", "/health")?.status == 200)
        }
    }
}
