import HTTPTypes
import Synchronization
import Testing
@testable import HTTPCore

@Suite("router")
struct RouterTests {
    static func request(_ method: HTTPRequest.Method, _ path: String) -> Request {
        Request(head: HTTPRequest(method: method, scheme: nil, authority: "a", path: path))
    }

    static let router: Router = {
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

    static func answer(_ method: HTTPRequest.Method, _ path: String, from responder: any HTTPResponder = router) async -> Response {
        await responder.answer(request(method, path))
    }

    static func text(_ method: HTTPRequest.Method, _ path: String) async -> String {
        body(await answer(method, path))
    }

    @Test func staticParameterAndCatchAllRoutes() async throws {
        #expect(await Self.text(.get, "/") == "home")
        #expect(await Self.text(.get, "/api/visits?x=1") == "read")
        #expect(await Self.text(.post, "/api/visits") == "count")
        #expect(await Self.text(.get, "/users/a%20b") == "user a b")
        #expect(await Self.text(.get, "/assets/css/app.css") == "asset css/app.css")
        #expect(await Self.text(.get, "/api/visits/") == "read")
        #expect(await Self.text(.get, "//api//visits") == "read")
        #expect(await Self.text(.get, "/api/visits//") == "read")
        #expect(Router.normalized("/") == "/" && Router.normalized("") == "" && Router.normalized("/a/b") == "/a/b")
    }

    @Test func headIsAnsweredByGet() async throws {
        #expect(await Self.text(.head, "/api/visits") == "read")
    }

    @Test func wrongMethodIs405WithAllow() async {
        let delete = await Self.answer(.delete, "/api/visits")
        #expect(delete.head.status == .methodNotAllowed)
        #expect(delete.head.headerFields[.allow] == "GET, HEAD, POST")
        let put = await Self.answer(.put, "/")
        #expect(put.head.status == .methodNotAllowed)
        #expect(put.head.headerFields[.allow] == "GET, HEAD")
    }

    @Test func unknownPathIs404() async {
        #expect(await Self.answer(.get, "/nope").head.status == .notFound)
        #expect(await Self.answer(.get, "/users").head.status == .notFound)
    }

    /// `dispatch` answers at once the routes that can, and the router's own 404 and 405; the
    /// others come back to be awaited, and awaiting them gives the waiting handler's answer.
    @Test func immediateAnswers() async throws {
        func now(_ method: HTTPRequest.Method, _ path: String) -> String? {
            guard case .answered(let response) = Self.router.dispatch(Self.request(method, path)) else { return nil }
            return response.head.status == .ok ? Self.body(response) : "\(response.head.status.code)"
        }
        #expect(now(.get, "/now") == "now")
        #expect(now(.head, "/now") == "now")
        #expect(now(.get, "/sometimes?now") == "now")
        #expect(now(.get, "/sometimes") == nil)
        #expect(now(.get, "/later") == nil)
        // A handler closure that never awaits is taken as an immediate one.
        #expect(now(.get, "/api/visits") == "read")
        #expect(now(.get, "/nope") == "404")
        #expect(now(.post, "/now") == "405")
        #expect(await Self.text(.get, "/sometimes") == "waited")
        #expect(await Self.text(.get, "/later") == "later")
    }

    /// Middleware runs once per request, around either path: `prepare` outermost first before
    /// the route, `finish` innermost first on its answer, and what `prepare` put in the request is
    /// what a waiting handler sees.
    @Test func middlewareRunsOnceAroundEitherPath() async throws {
        final class Trace: Sendable {
            let steps = Mutex<[String]>([])
            func add(_ step: String) { steps.withLock { $0.append(step) } }
            func take() -> [String] { steps.withLock { steps in defer { steps = [] }; return steps } }
        }
        struct Tagging: Middleware {
            let name: String
            let trace: Trace
            func prepare(_ request: inout Request) throws -> Response? {
                trace.add("prepare \(name)")
                request.requestID = (request.requestID ?? "") + name
                return nil
            }
            func finish(_ response: inout Response, for request: Request) {
                trace.add("finish \(name)")
                response.head.headerFields[.server] = request.requestID
            }
        }
        let trace = Trace()
        var builder = RouterBuilder()
        builder.use(Tagging(name: "a", trace: trace))
        builder.use(Tagging(name: "b", trace: trace))
        builder.get("/now", immediate: { _ in trace.add("route"); return .text("now") })
        builder.get("/later") { request in trace.add("route \(request.requestID ?? "")"); await Task.yield(); return .text("later") }
        let responder = builder.build()
        #expect(await Self.answer(.get, "/now", from: responder).head.headerFields[.server] == "ab")
        #expect(trace.take() == ["prepare a", "prepare b", "route", "finish b", "finish a"])
        guard case .waiting(let pending) = responder.dispatch(Self.request(.get, "/later")) else {
            Issue.record("a handler that awaits was answered at once")
            return
        }
        #expect(trace.take() == ["prepare a", "prepare b"])
        #expect(await pending.response().head.headerFields[.server] == "ab")
        #expect(trace.take() == ["route ab", "finish b", "finish a"])
        // A 404 is rendered, and every finish still runs on it.
        #expect(await Self.answer(.get, "/nope", from: responder).head.status == .notFound)
        #expect(trace.take() == ["prepare a", "prepare b", "finish b", "finish a"])
    }

    /// A `prepare` that answers or throws skips the later middleware's `prepare` and the route;
    /// every `finish` runs on the answer, and a thrown error goes through the error renderer.
    @Test func middlewareCanAnswerOrRefuse() async throws {
        struct Gate: Middleware {
            func prepare(_ request: inout Request) throws -> Response? {
                switch request.query {
                case "answer": return .text("gate")
                case "refuse": throw HTTPError(.forbidden)
                case "fail": throw CancellationError()
                default: return nil
                }
            }
        }
        struct Stamp: Middleware {
            func finish(_ response: inout Response, for request: Request) { response.head.headerFields[.server] = "stamped" }
        }
        struct Renderer: ErrorRenderer {
            func response(for error: any Error, to request: Request) -> Response {
                .text(error is HTTPError ? "rendered" : "unexpected", status: .serviceUnavailable)
            }
        }
        var builder = RouterBuilder()
        builder.renderErrors(with: Renderer())
        builder.use(Stamp())
        builder.use(Gate())
        builder.get("/") { _ in .text("route") }
        let responder = builder.build()
        for (query, expected) in [("answer", "gate"), ("refuse", "rendered"), ("fail", "unexpected"), ("go", "route")] {
            let response = await Self.answer(.get, "/?\(query)", from: responder)
            #expect(Self.body(response) == expected, "\(query)")
            #expect(response.head.headerFields[.server] == "stamped", "\(query)")
        }
    }
}
