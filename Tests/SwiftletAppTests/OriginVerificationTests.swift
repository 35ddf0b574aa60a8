import JSON
import LambdaRuntime
import SwiftletApp
import TestSupport
import Testing

/// `SWIFTLET_ORIGIN_SECRET`: with it set, only requests carrying `X-Origin-Verify` with an accepted
/// value are answered, on the dev server and under Lambda; the keep-warm ping still works; and the
/// security headers that depend on the request (HSTS) follow how it arrived.
@Suite("origin secret and security headers")
struct OriginVerificationTests {
    static let current = "c2f1d0e9b8a7c6d5e4f3a2b1c0d9e8f7"
    static let previous = "0123456789abcdef0123456789abcdef"

    func protectedApp() throws -> AppHarness {
        try AppHarness(originSecrets: [Self.current, Self.previous])
    }

    @Test("on the dev server: no header, a wrong one, or two are 403; current and previous pass")
    func devServer() throws {
        try protectedApp().overTheWire { client, _ in
            let refusals: [[(String, String)]] = [
                [],
                [("X-Origin-Verify", "wrong")],
                [("X-Origin-Verify", String(Self.current.dropLast()))],
                [("X-Origin-Verify", Self.current + "0")],
                [("X-Origin-Verify", Self.current), ("X-Origin-Verify", Self.current)],
            ]
            for headers in refusals {
                for path in ["/", "/api/visits", "/health"] {
                    let response = try #require(try client.request("GET", path, headers: headers))
                    #expect(response.status == 403, "\(path) \(headers)")
                    #expect(!response.text.contains(Self.current) && !response.text.contains(Self.previous))
                    #expect(!response.text.contains("X-Origin-Verify"), "the refusal does not say what it wants")
                }
            }
            let post = try #require(try client.request("POST", "/api/visits"))
            #expect(post.status == 403, "a refused POST counts nothing")
            for secret in [Self.current, Self.previous] {
                let response = try #require(try client.request("GET", "/api/visits", headers: [("X-Origin-Verify", secret)]))
                #expect(response.status == 200)
                let json = try JSONValue.parse(response.body)
                #expect(json["visits"]?.int == 0, "the refused POST was not counted")
            }
        }
    }

    @Test("without the variable, the dev server answers as before")
    func unsetAnswersEveryone() throws {
        try AppHarness().overTheWire { client, _ in
            let status = try client.request("GET", "/")?.status
            #expect(status == 200)
        }
    }

    @Test("under Lambda: a Function URL event without the header is 403, with it 200, and keep-warm still works")
    func lambda() throws {
        try RouteContractLambdaTests().runtime(mode: .buffered, app: try protectedApp()) { api in
            let bare = RouteContractTests.Case(method: .get, path: "/", status: 200)
            let refused = api.enqueue(RouteContractLambdaTests.event(bare))
            let refusal = try RouteContractLambdaTests.observe(bufferedJSON: try #require(api.answer(for: refused)?.json))
            #expect(refusal.status == 403)

            var signed = bare
            signed.headers = [("X-Origin-Verify", Self.current)]
            let allowed = api.enqueue(RouteContractLambdaTests.event(signed))
            let page = try RouteContractLambdaTests.observe(bufferedJSON: try #require(api.answer(for: allowed)?.json))
            #expect(page.status == 200)

            let ping = api.enqueue(#"{"version":"0","id":"1","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"2026-12-07T10:00:00Z","region":"us-east-1","resources":[],"detail":{}}"#)
            let warm = try #require(api.answer(for: ping)?.json)
            #expect(warm["warm"]?.bool == true)
            #expect(warm["status"]?.int == 200, "the keep-warm ping's health check is not refused")
        }
    }

    @Test("HTML carries HSTS only over HTTPS, and always a Permissions-Policy")
    func requestDependentHeaders() async throws {
        let app = try AppHarness()
        let plain = try await app.direct(.get, "/")
        #expect(plain.header("Strict-Transport-Security") == nil, "the dev server on http://localhost stays reachable")
        #expect(plain.header("Permissions-Policy")?.contains("camera=()") == true)
        let proxied = try await app.direct(.get, "/", headers: [("X-Forwarded-Proto", "https")])
        #expect(proxied.header("Strict-Transport-Security") == "max-age=31536000")
        let json = try await app.direct(.get, "/api/visits", headers: [("X-Forwarded-Proto", "https")])
        #expect(json.header("Strict-Transport-Security") == nil, "HSTS goes on pages")

        try RouteContractLambdaTests().runtime(mode: .buffered) { api in
            let id = api.enqueue(RouteContractLambdaTests.event(RouteContractTests.Case(method: .get, path: "/", status: 200)))
            let page = try RouteContractLambdaTests.observe(bufferedJSON: try #require(api.answer(for: id)?.json))
            #expect(page.header("strict-transport-security") == "max-age=31536000", "a Function URL is always HTTPS")
        }
    }
}
