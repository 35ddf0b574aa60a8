import HTTPTypes
import JSON
import LambdaRuntime
import SwiftletApp
import TestSupport
import Testing
import VisitStore

/// CORS on the visits API (`SWIFTLET_CORS_ORIGINS`), checked against the Fetch standard's CORS
/// protocol: what a listed origin, an unlisted one and a preflight get, and that nothing changes
/// when the variable is unset.
@Suite("CORS on /api/*")
struct CORSTests {
    static let site = "https://static.example"
    static func listed() throws -> AppHarness {
        try AppHarness(cors: try CORSPolicy(parsing: "\(site), http://localhost:3000"))
    }

    @Test("a listed origin gets its own origin back, Vary: Origin, and may read X-Request-Id")
    func listedOrigin() async throws {
        let app = try Self.listed()
        for (method, path) in [(HTTPRequest.Method.get, "/api/visits"), (.post, "/api/visits")] {
            let answer = try await app.direct(method, path, headers: [("Origin", Self.site)])
            #expect(answer.status == 200)
            #expect(answer.header("Access-Control-Allow-Origin") == Self.site)
            #expect(answer.header("Vary")?.contains("Origin") == true)
            #expect(answer.header("Access-Control-Expose-Headers") == "X-Request-Id")
            #expect(answer.header("Access-Control-Allow-Credentials") == nil, "never credentials")
        }
        let local = try await app.direct(.get, "/api/visits", headers: [("Origin", "http://localhost:3000")])
        #expect(local.header("Access-Control-Allow-Origin") == "http://localhost:3000")
    }

    @Test("an unlisted origin, or none, gets no CORS headers but Vary: Origin; pages never get them")
    func unlistedOrigin() async throws {
        let app = try Self.listed()
        for headers in [[("Origin", "https://evil.example")], [("Origin", "https://static.example.evil")], []] {
            let answer = try await app.direct(.get, "/api/visits", headers: headers)
            #expect(answer.status == 200)
            #expect(answer.header("Access-Control-Allow-Origin") == nil, "\(headers)")
            #expect(answer.header("Vary")?.contains("Origin") == true, "a cache must keep the answers apart")
        }
        let page = try await app.direct(.get, "/", headers: [("Origin", Self.site)])
        #expect(page.header("Access-Control-Allow-Origin") == nil)
    }

    @Test("a preflight from a listed origin: 204, the methods, the allowed requested headers, a max age")
    func preflight() async throws {
        let app = try Self.listed()
        let answer = try await app.direct(.options, "/api/visits", headers: [
            ("Origin", Self.site), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "content-type, x-evil"),
        ])
        #expect(answer.status == 204)
        #expect(answer.header("Access-Control-Allow-Origin") == Self.site)
        #expect(answer.header("Access-Control-Allow-Methods") == "GET, HEAD, POST")
        #expect(answer.header("Access-Control-Allow-Headers") == "content-type", "only the allowed ones")
        #expect(answer.header("Access-Control-Max-Age") == "600")
        #expect(answer.header("Vary") == "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
        #expect(answer.header("X-Request-Id") != nil)
        #expect(answer.body.isEmpty)
    }

    @Test("a preflight from an unlisted origin, or for another method, is refused without CORS headers")
    func refusedPreflight() async throws {
        let app = try Self.listed()
        for (origin, method) in [("https://evil.example", "POST"), (Self.site, "DELETE")] {
            let answer = try await app.direct(.options, "/api/visits", headers: [("Origin", origin), ("Access-Control-Request-Method", method)])
            #expect(answer.status == 403)
            #expect(answer.header("Access-Control-Allow-Origin") == nil)
            #expect(try JSONValue.parse(answer.body)["status"]?.int == 403)
        }
    }

    @Test("* lets every origin read, as *, with no Vary")
    func anyOrigin() async throws {
        let app = try AppHarness(cors: try CORSPolicy(parsing: "*"))
        let answer = try await app.direct(.get, "/api/visits", headers: [("Origin", "https://anyone.example")])
        #expect(answer.header("Access-Control-Allow-Origin") == "*")
        #expect(answer.header("Vary") == nil)
        let preflight = try await app.direct(.options, "/api/visits", headers: [("Origin", "https://anyone.example"), ("Access-Control-Request-Method", "GET")])
        #expect(preflight.status == 204 && preflight.header("Access-Control-Allow-Origin") == "*")
    }

    @Test("unset: no CORS headers, and OPTIONS is what it was")
    func unset() async throws {
        let app = try AppHarness()
        let answer = try await app.direct(.get, "/api/visits", headers: [("Origin", Self.site)])
        #expect(answer.header("Access-Control-Allow-Origin") == nil && answer.header("Vary") == nil)
        let options = try await app.direct(.options, "/api/visits", headers: [("Origin", Self.site), ("Access-Control-Request-Method", "POST")])
        #expect(options.status == 405)
    }

    @Test("a store failure's 503 still carries the CORS headers, so the calling page can read it")
    func errorsCarryThem() async throws {
        let app = try AppHarness(store: FailingVisitStore(), cors: try CORSPolicy(parsing: Self.site))
        let answer = try await app.direct(.post, "/api/visits", headers: [("Origin", Self.site)])
        #expect(answer.status == 503)
        #expect(answer.header("Access-Control-Allow-Origin") == Self.site)
    }

    @Test("under Lambda, the same headers", arguments: [LambdaRuntime.InvokeMode.buffered])
    func lambda(_ mode: LambdaRuntime.InvokeMode) throws {
        try RouteContractLambdaTests().runtime(mode: mode, app: try Self.listed()) { api in
            var get = RouteContractTests.Case(method: .get, path: "/api/visits", status: 200)
            get.headers = [("Origin", Self.site)]
            let id = api.enqueue(RouteContractLambdaTests.event(get))
            let answer = try RouteContractLambdaTests.observe(bufferedJSON: try #require(api.answer(for: id)?.json))
            #expect(answer.header("access-control-allow-origin") == Self.site)
            var preflight = RouteContractTests.Case(method: .options, path: "/api/visits", status: 204)
            preflight.headers = [("Origin", Self.site), ("Access-Control-Request-Method", "POST")]
            let second = api.enqueue(RouteContractLambdaTests.event(preflight))
            let answered = try RouteContractLambdaTests.observe(bufferedJSON: try #require(api.answer(for: second)?.json))
            #expect(answered.status == 204 && answered.header("access-control-allow-methods") == "GET, HEAD, POST")
        }
    }

    @Test("what SWIFTLET_CORS_ORIGINS refuses", arguments: ["", "static.example", "https://static.example/", "https://static.example/api",
                                                             "ftp://static.example", "https://", "http://a:99999", "https://user@host", "*, https://a.example"])
    func refusedSettings(_ text: String) {
        #expect(throws: CORSPolicy.InvalidOrigin.self) { try CORSPolicy(parsing: text) }
    }

    @Test("origins compare as browsers send them: case-insensitively, the port part of the origin")
    func parsing() throws {
        let policy = try CORSPolicy(parsing: "HTTPS://Static.Example, http://127.0.0.1:8080")
        #expect(policy.origins == .list(["https://static.example", "http://127.0.0.1:8080"]))
    }
}
