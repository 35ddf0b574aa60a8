import Digest
import HTTPClient
import HTTPCore
import HTTPTypes
import JSON
@testable import LambdaRuntime
import Testing
import TestSupport

/// The real Runtime API client and loop against the strict fake Runtime API on 127.0.0.1.
@Suite("runtime over HTTP")
struct RuntimeAPIOverHTTPTests {
    /// Runs the loop in a task until the test is done with it.
    func withRuntime(mode: LambdaRuntime.InvokeMode = .buffered, _ respond: @escaping @Sendable (Request) async throws -> Response,
                     _ body: (FakeRuntimeAPI) async throws -> Void) async throws {
        let api = try FakeRuntimeAPI()
        let client = try HTTPRuntimeAPIClient(endpoint: api.endpoint)
        let runtime = LambdaRuntime(client: client, handler: LambdaEventHandler(responder: ClosureResponder(respond), logger: Fixtures.quietLogger),
                                    mode: mode, exportsTraceID: false)
        // The loop blocks its thread on /next by design: it gets a thread of its own.
        let executor = try DedicatedExecutor(name: "lambda-loop")
        let loop = executor.start { () -> Void in _ = try? await runtime.run() }
        do {
            try await body(api)
        } catch {
            await Self.stop(runtime, api, loop, executor)
            throw error
        }
        await Self.stop(runtime, api, loop, executor)
        #expect(api.violations.isEmpty, "\(api.violations)")
    }

    /// Ends the loop (the stopped fake answers its waiting /next with a 500) and waits for its task
    /// before stopping its thread, so that nothing is left parked on a stopped executor.
    static func stop(_ runtime: LambdaRuntime, _ api: FakeRuntimeAPI, _ loop: Task<Void, Never>, _ executor: DedicatedExecutor) async {
        _ = runtime.requestStop()
        api.stop()
        await loop.value
        executor.stop()
    }

    @Test("buffered: each answer on one kept-alive connection, no protocol violation")
    func buffered() async throws {
        try await withRuntime({ request in .text("hello \(request.head.method.rawValue)") }) { api in
            var ids: [String] = []
            for _ in 0..<3 { ids.append(api.enqueue(Fixtures.bytes("function-url-post.json"))) }
            for id in ids {
                let answer = try #require(api.answer(for: id))
                #expect(answer.kind == .response)
                #expect(answer.json?["body"]?.string == "hello POST")
            }
            #expect(api.connections == 1)
        }
    }

    @Test("an unsupported event goes to /error with the documented shape, then the loop goes on")
    func errorCall() async throws {
        try await withRuntime({ _ in .text("ok") }) { api in
            let bad = api.enqueue(Fixtures.bytes("s3-put.json"))
            let good = api.enqueue(Fixtures.bytes("function-url-post.json"))
            let error = try #require(api.answer(for: bad))
            #expect(error.kind == .error)
            #expect(error.headers[HTTPField.Name("Lambda-Runtime-Function-Error-Type")!] == "Runtime.UnsupportedEvent")
            #expect(error.json?["errorType"]?.string == "Runtime.UnsupportedEvent")
            #expect(try #require(api.answer(for: good)).kind == .response)
        }
    }

    @Test("streamed: chunked, the prelude, the body as made; the connection closed after the last chunk")
    func streamed() async throws {
        try await withRuntime(mode: .responseStream, { _ in
            Response(status: .ok, headerFields: [.contentType: "text/plain", .setCookie: "s=1"], body: .stream(BodyStream { writer in
                for word in ["one ", "two ", "three"] { try await writer.write(Array(word.utf8)) }
            }))
        }) { api in
            let first = api.enqueue(Fixtures.bytes("function-url-post.json"))
            let second = api.enqueue(Fixtures.bytes("function-url-post.json"))
            for id in [first, second] {
                let answer = try #require(api.answer(for: id))
                #expect(answer.kind == .streamedResponse)
                #expect(answer.headers[.contentType] == "application/vnd.awslambda.http-integration-response")
                #expect(answer.chunkCount == 4)
                #expect(answer.trailers.isEmpty)
                let split = try #require((0..<answer.body.count).first { answer.body[$0] == 0 })
                let prelude = try JSONValue.parse(Array(answer.body[..<split]))
                #expect(prelude["statusCode"]?.int == 200)
                #expect(prelude["cookies"]?.array == [.string("s=1")])
                #expect(String(decoding: answer.body[(split + 8)...], as: UTF8.self) == "one two three")
            }
            #expect(api.connections >= 2)
        }
    }

    @Test("streamed: an error after the first byte travels in the declared trailers, base64 JSON")
    func streamedFailure() async throws {
        struct Broken: Error {}
        try await withRuntime(mode: .responseStream, { _ in
            Response(status: .ok, headerFields: [.contentType: "text/plain"], body: .stream(BodyStream { writer in
                try await writer.write(Array("partial".utf8))
                throw Broken()
            }))
        }) { api in
            let id = api.enqueue(Fixtures.bytes("function-url-post.json"))
            let answer = try #require(api.answer(for: id))
            #expect(answer.trailers[HTTPField.Name("Lambda-Runtime-Function-Error-Type")!] == "Runtime.StreamError")
            let body = try #require(Base64.decode(answer.trailers[HTTPField.Name("Lambda-Runtime-Function-Error-Body")!] ?? ""))
            #expect(try JSONValue.parse(body)["errorType"]?.string == "Runtime.StreamError")
            #expect(answer.headers[.trailer]?.contains("Lambda-Runtime-Function-Error-Body") == true)
        }
    }

    @Test("the fake Runtime API refuses an unknown id, a second answer, and a buffered answer over 6 MB")
    func strictness() async throws {
        let api = try FakeRuntimeAPI()
        defer { api.stop() }
        let client = try HTTPRuntimeAPIClient(endpoint: api.endpoint)
        #expect(throws: LambdaRuntimeError.self) { try client.sendResponse(requestID: "no-such-id", body: Array("{}".utf8)) }
        let id = api.enqueue(Fixtures.bytes("function-url-post.json"))
        let invocation = try client.nextInvocation()
        #expect(invocation.requestID == id)
        #expect(invocation.invokedFunctionARN?.hasPrefix("arn:aws:lambda:") == true)
        #expect(invocation.traceID != nil)
        #expect(invocation.event == Fixtures.bytes("function-url-post.json"))
        do {
            try client.sendResponse(requestID: id, body: [UInt8](repeating: 32, count: 6 * 1024 * 1024 + 1))
            Issue.record("a 6 MB answer was accepted")
        } catch {
            guard case .rejected(_, let status, _) = error else { Issue.record("\(error)"); return }
            #expect(status == 413)
        }
        try client.sendResponse(requestID: id, body: Array("{}".utf8))
        #expect(throws: LambdaRuntimeError.self) { try client.sendResponse(requestID: id, body: Array("{}".utf8)) }
        try client.sendInitError(LambdaErrorReport(type: "Runtime.InitError", message: "bad"))
        #expect(api.initError()?.json?["errorMessage"]?.string == "bad")
    }

    @Test("an endpoint that is not host:port is refused at once")
    func badEndpoint() {
        #expect(throws: LambdaRuntimeError.self) { try HTTPRuntimeAPIClient(endpoint: "nonsense") }
    }
}
