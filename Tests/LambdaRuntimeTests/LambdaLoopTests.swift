import Glibc
import HTTPCore
import HTTPTypes
import JSON
@testable import LambdaRuntime
import Logging
import Testing

/// The loop over a mock Runtime API client: what each kind of invocation is answered with.
@Suite("runtime loop")
struct LambdaLoopTests {
    func run(_ invocations: [Invocation], mode: LambdaRuntime.InvokeMode = .buffered, exportsTraceID: Bool = false,
             _ respond: @escaping @Sendable (Request) async throws -> Response) async throws -> [MockRuntimeAPIClient.Call] {
        let client = MockRuntimeAPIClient(invocations)
        let runtime = LambdaRuntime(client: client, handler: LambdaEventHandler(responder: ClosureResponder(respond), logger: Fixtures.quietLogger),
                                    mode: mode, exportsTraceID: exportsTraceID)
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
            let remaining = request.deadline.map { $0 - .now } ?? .zero
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

    @Test("a keep-warm ping asks the health route and answers small JSON")
    func keepWarm() async throws {
        let calls = try await run([Fixtures.invocation("scheduled-event.json")]) { request in
            request.path == "/health" ? .json(#"{"status":"ok"}"#) : .text("no", status: .notFound)
        }
        guard case .response(_, let body) = calls.first else { Issue.record("\(calls)"); return }
        #expect(String(decoding: body, as: UTF8.self) == #"{"warm":true,"status":200}"#)
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
