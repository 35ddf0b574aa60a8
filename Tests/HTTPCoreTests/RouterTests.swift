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
        builder.get("/now", immediate: { _ in .text("now") })
        builder.get("/sometimes", immediate: { request in request.query == "now" ? .text("now") : nil }) { _ in .text("waited") }
        builder.get("/later") { _ in await Task.yield(); return .text("later") }
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
        #expect(Self.body(try await Self.router.respond(to: Self.request(.get, "//api//visits"))) == "read")
        #expect(Self.body(try await Self.router.respond(to: Self.request(.get, "/api/visits//"))) == "read")
        #expect(Router.normalized("/") == "/" && Router.normalized("") == "" && Router.normalized("/a/b") == "/a/b")
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

    /// `respondImmediately` answers routes that can, says `nil` for the others, and throws the
    /// router's 404 and 405 at once; `respond` answers every route the same way.
    @Test func immediateAnswers() async throws {
        func now(_ method: HTTPRequest.Method, _ path: String) throws -> String? {
            var request = Self.request(method, path)
            return try Self.router.respondImmediately(to: &request).map(Self.body)
        }
        #expect(try now(.get, "/now") == "now")
        #expect(try now(.head, "/now") == "now")
        #expect(try now(.get, "/sometimes?now") == "now")
        #expect(try now(.get, "/sometimes") == nil)
        #expect(try now(.get, "/later") == nil)
        // A handler closure that never awaits is taken as an immediate one.
        #expect(try now(.get, "/api/visits") == "read")
        #expect(Self.body(try await Self.router.respond(to: Self.request(.get, "/now"))) == "now")
        #expect(Self.body(try await Self.router.respond(to: Self.request(.get, "/sometimes"))) == "waited")
        #expect(throws: HTTPError(.notFound)) { try now(.get, "/nope") }
        #expect(throws: HTTPError.methodNotAllowed(allowed: [.get, .head])) { try now(.post, "/now") }
    }

    /// A middleware's immediate path runs around the router's, and what it puts in the request
    /// stays there for the `async` path when the router must wait.
    @Test func middlewareKeepsWhatItAddedForTheWaitingPath() async throws {
        struct Tagging: Middleware {
            func respond(to request: Request, next: any HTTPResponder) async throws -> Response {
                var request = request
                if request.requestID == nil { request.requestID = "async" }
                var response = try await next.respond(to: request)
                response.head.headerFields[.server] = request.requestID
                return response
            }
            func respondImmediately(to request: inout Request, next: any HTTPResponder) throws -> Response? {
                request.requestID = "immediate"
                guard var response = try next.respondImmediately(to: &request) else { return nil }
                response.head.headerFields[.server] = request.requestID
                return response
            }
        }
        var builder = RouterBuilder()
        builder.use(Tagging())
        builder.get("/now", immediate: { _ in .text("now") })
        builder.get("/later") { _ in await Task.yield(); return .text("later") }
        let responder = builder.build()
        var now = Self.request(.get, "/now")
        #expect(try responder.respondImmediately(to: &now)?.head.headerFields[.server] == "immediate")
        var later = Self.request(.get, "/later")
        #expect(try responder.respondImmediately(to: &later) == nil)
        #expect(try await responder.respond(to: later).head.headerFields[.server] == "immediate")
    }
}
