import Glibc
import HTTPCore
import HTTPTypes
import JSON
@testable import LambdaRuntime
import Logging
import Synchronization
import Testing
import Timekeeping

/// The loop over a mock Runtime API client: what each kind of invocation is answered with.
@Suite("runtime loop")
struct LambdaLoopTests {
    static let health = Request(head: HTTPRequest(method: .get, scheme: "https", authority: nil, path: "/health"))

    func run(_ invocations: [Invocation], mode: LambdaRuntime.InvokeMode = .buffered, exportsTraceID: Bool = false, keepWarm: Request? = health,
             _ respond: @escaping @Sendable (Request) async throws -> Response) async throws -> [MockRuntimeAPIClient.Call] {
        let client = MockRuntimeAPIClient(invocations)
        let handler = LambdaEventHandler(responder: ClosureResponder(respond), logger: Fixtures.quietLogger, keepWarmRequest: keepWarm)
        let runtime = LambdaRuntime(client: client, handler: handler, mode: mode, exportsTraceID: exportsTraceID)
        client.runtime.withLock { $0 = runtime }
        defer { client.runtime.withLock { $0 = nil } } // the mock and the runtime hold each other
        try await runtime.run()
        return client.calls
    }

    @Test("an unsupported event is reported on /error and the loop goes on to the next")
    func unsupportedThenServed() async throws {
        let calls = try await run([Fixtures.invocation("s3-put.json", requestID: "a"), Fixtures.invocation("function-url-post.json", requestID: "b")]) { _ in
            .text("ok")
        }
        #expect(calls.count == 2)
        guard case .error(let id, let report) = calls[0] else { Issue.record("first call: \(calls[0])"); return }
        #expect(id == "a" && report.type == "Runtime.UnsupportedEvent")
        guard case .response(let second, let body) = calls[1] else { Issue.record("second call: \(calls[1])"); return }
        #expect(second == "b")
        #expect(try JSONValue.parse(body)["body"]?.string == "ok")
    }

    @Test("the request carries the invocation's id and deadline; _X_AMZN_TRACE_ID is set for it")
    func context() async throws {
        var invocation = Fixtures.invocation("function-url-post.json", requestID: "id-42")
        invocation.traceID = "Root=1-abc;Sampled=1"
        // The only test in the process that touches the environment.
        let calls = try await run([invocation], exportsTraceID: true) { request in
            let trace = getenv("_X_AMZN_TRACE_ID").map { String(cString: $0) } ?? "-"
            let remaining = request.deadline?.remaining ?? .zero
            return .text("\(request.requestID ?? "-")|\(trace)|\(remaining > .seconds(5) && remaining <= .seconds(10))")
        }
        guard case .response(_, let body) = calls.first else { Issue.record("\(calls)"); return }
        #expect(try JSONValue.parse(body)["body"]?.string == "id-42|Root=1-abc;Sampled=1|true")
    }

    @Test("an app error stays an HTTP answer (500), not a Runtime API error")
    func appError() async throws {
        struct Boom: Error {}
        let calls = try await run([Fixtures.invocation("function-url-post.json")]) { _ in throw Boom() }
        guard case .response(_, let body) = calls.first else { Issue.record("\(calls)"); return }
        #expect(try JSONValue.parse(body)["statusCode"]?.int == 500)
    }

    @Test("a keep-warm ping asks the request it was handed (internal, with the invocation's id) and answers small JSON")
    func keepWarm() async throws {
        let calls = try await run([Fixtures.invocation("scheduled-event.json", requestID: "ping-1")]) { request in
            request.path == "/health" && request.isInternal && request.requestID == "ping-1" ? .json(#"{"status":"ok"}"#) : .text("no", status: .notFound)
        }
        guard case .response(_, let body) = calls.first else { Issue.record("\(calls)"); return }
        #expect(String(decoding: body, as: UTF8.self) == #"{"warm":true,"status":200}"#)
    }

    @Test("without a keep-warm request, the ping is answered without asking the app")
    func keepWarmWithoutRequest() async throws {
        let calls = try await run([Fixtures.invocation("scheduled-event.json")], keepWarm: nil) { _ in
            Issue.record("the app was asked")
            return .text("no")
        }
        guard case .response(_, let body) = calls.first else { Issue.record("\(calls)"); return }
        #expect(String(decoding: body, as: UTF8.self) == #"{"warm":true}"#)
    }

    @Test("warm-up runs each request it was handed through a Function URL event, as an internal request, without waiting")
    func warmUp() {
        final class Seen: Sendable { let lines = Mutex<[String]>([]) }
        let seen = Seen()
        struct Recorder: HTTPResponder {
            let seen: Seen
            func dispatch(_ request: consuming Request) -> Dispatch {
                seen.lines.withLock { $0.append("\(request.head.method.rawValue) \(request.head.path ?? "") \(request.isInternal) \(request.head.headerFields[.acceptEncoding] ?? "-")") }
                if request.head.path == "/wait" { return .waiting(PendingResponse { Issue.record("warm-up awaited"); return .text("no") }) }
                return .answered(.text("ok"))
            }
        }
        var gzip = HTTPFields()
        gzip[.acceptEncoding] = "gzip"
        let requests = [Request(head: HTTPRequest(method: .head, scheme: "https", authority: nil, path: "/", headerFields: gzip)),
                        Request(head: HTTPRequest(method: .get, scheme: "https", authority: nil, path: "/a?b=c")),
                        Request(head: HTTPRequest(method: .get, scheme: "https", authority: nil, path: "/wait"))]
        let handler = LambdaEventHandler(responder: Recorder(seen: seen), logger: Fixtures.quietLogger, warmUpRequests: requests)
        handler.warmUp()
        #expect(seen.lines.withLock { $0 } == ["HEAD / true gzip", "GET /a?b=c true -", "GET /wait true -"])
    }

    @Test("a buffered answer over 6 MB becomes a clean 500, never a refused /response")
    func tooLarge() async throws {
        let calls = try await run([Fixtures.invocation("function-url-post.json")]) { _ in
            Response(status: .ok, contentType: "application/octet-stream", bytes: [UInt8](repeating: 7, count: 5 * 1024 * 1024))
        }
        guard case .response(_, let body) = calls.first else { Issue.record("\(calls)"); return }
        #expect(body.count < 4096)
        #expect(try JSONValue.parse(body)["statusCode"]?.int == 500)
    }

    @Test("streaming: prelude, then the body as written; an error after the first byte is reported as the stream's failure")
    func streaming() async throws {
        struct Broken: Error {}
        let calls = try await run([Fixtures.invocation("function-url-post.json", requestID: "s1"), Fixtures.invocation("function-url-post.json", requestID: "s2")],
                                  mode: .responseStream) { request in
            let fails = request.requestID == "s2"
            return Response(status: .ok, headerFields: [.contentType: "text/plain"], body: .stream(BodyStream { writer in
                try await writer.write(Array("one ".utf8))
                if fails { throw Broken() }
                try await writer.write(Array("two".utf8))
            }))
        }
        #expect(calls.count == 2)
        guard case .streamed(let id, let type, let chunks, let failure) = calls[0] else { Issue.record("\(calls)"); return }
        #expect(id == "s1" && type == "application/vnd.awslambda.http-integration-response" && failure == nil)
        #expect(chunks.count == 3)
        #expect(Array(chunks[0].suffix(8)) == [UInt8](repeating: 0, count: 8))
        #expect(String(decoding: chunks[1] + chunks[2], as: UTF8.self) == "one two")
        guard case .streamed(_, _, let failed, let report) = calls[1] else { Issue.record("\(calls)"); return }
        #expect(failed.count == 2)
        #expect(report?.type == "Runtime.StreamError")
    }

    @Test("API Gateway 1.0 events are answered buffered even in streaming mode (API Gateway cannot stream)")
    func restInStreamingMode() async throws {
        let calls = try await run([Fixtures.invocation("apigateway-rest-v1.json")], mode: .responseStream) { _ in .text("ok") }
        guard case .response(_, let body) = calls.first else { Issue.record("\(calls)"); return }
        #expect(try JSONValue.parse(body)["multiValueHeaders"] != nil)
    }

    @Test("HEAD answers carry the fields and no body")
    func head() async throws {
        let event = #"{"version":"2.0","rawPath":"/","rawQueryString":"","headers":{},"requestContext":{"http":{"method":"HEAD","sourceIp":"1.2.3.4"}},"isBase64Encoded":false}"#
        let calls = try await run([Invocation(requestID: "h", deadlineMilliseconds: WallClock.nowMilliseconds() + 5000, event: Array(event.utf8))]) { _ in
            .text("a body")
        }
        guard case .response(_, let body) = calls.first else { Issue.record("\(calls)"); return }
        let json = try JSONValue.parse(body)
        #expect(json["body"]?.string == "")
        #expect(json["headers"]?["content-type"]?.string == "text/plain; charset=utf-8")
    }
}
