import HTTPTypes
import Testing
@testable import HTTPCore

@Suite("router")
struct RouterTests {
    static func request(_ method: HTTPRequest.Method, _ path: String) -> Request {
        Request(head: HTTPRequest(method: method, scheme: nil, authority: "a", path: path))
    }

    static let router: any HTTPResponder = {
        var builder = RouterBuilder()
        builder.get("/") { _ in .text("home") }
        builder.get("/api/visits") { _ in .text("read") }
        builder.post("/api/visits") { _ in .text("count") }
        builder.get("/users/:id") { request in .text("user \(request.parameters["id"] ?? "?")") }
        builder.get("/assets/*") { request in .text("asset \(request.parameters["*"] ?? "?")") }
        return builder.build()
    }()

    static func body(_ response: Response) -> String {
        if case .bytes(let bytes) = response.body { return String(decoding: bytes, as: UTF8.self) }
        return ""
    }

    @Test func staticParameterAndCatchAllRoutes() async throws {
        #expect(Self.body(try await Self.router.respond(to: Self.request(.get, "/"))) == "home")
        #expect(Self.body(try await Self.router.respond(to: Self.request(.get, "/api/visits?x=1"))) == "read")
        #expect(Self.body(try await Self.router.respond(to: Self.request(.post, "/api/visits"))) == "count")
        #expect(Self.body(try await Self.router.respond(to: Self.request(.get, "/users/a%20b"))) == "user a b")
        #expect(Self.body(try await Self.router.respond(to: Self.request(.get, "/assets/css/app.css"))) == "asset css/app.css")
        #expect(Self.body(try await Self.router.respond(to: Self.request(.get, "/api/visits/"))) == "read")
    }

    @Test func headIsAnsweredByGet() async throws {
        #expect(Self.body(try await Self.router.respond(to: Self.request(.head, "/api/visits"))) == "read")
    }

    @Test func wrongMethodIs405WithAllow() async {
        await #expect(throws: HTTPError.methodNotAllowed(allowed: [.get, .head, .post])) {
            try await Self.router.respond(to: Self.request(.delete, "/api/visits"))
        }
        do {
            _ = try await Self.router.respond(to: Self.request(.put, "/"))
            Issue.record("no error")
        } catch let error as HTTPError {
            #expect(error.status == .methodNotAllowed)
            #expect(error.response(requestID: nil).head.headerFields[.allow] == "GET, HEAD")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func unknownPathIs404() async {
        await #expect(throws: HTTPError(.notFound)) {
            try await Self.router.respond(to: Self.request(.get, "/nope"))
        }
        await #expect(throws: HTTPError(.notFound)) {
            try await Self.router.respond(to: Self.request(.get, "/users"))
        }
    }
}
