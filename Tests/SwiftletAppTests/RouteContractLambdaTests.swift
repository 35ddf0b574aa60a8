import Digest
import HTTPCore
import HTTPServer
import HTTPTypes
import JSON
import LambdaRuntime
import SwiftletApp
import TestSupport
import Testing
import VisitStore
import Synchronization
import Glibc

/// The same route-contract table, through the Lambda front-end: as Function URL events answered
/// buffered and streamed by the runtime loop against the strict fake Runtime API, and through the
/// dev server's invoke endpoint.
@Suite("route contract through Lambda")
struct RouteContractLambdaTests {
    typealias Case = RouteContractTests.Case

    /// A Function URL event (payload 2.0) for `test`, shaped as Lambda sends one.
    static func event(_ test: Case) -> [UInt8] {
        let (path, query) = test.path.firstIndex(of: "?").map { (String(test.path[..<$0]), String(test.path[test.path.index(after: $0)...])) } ?? (test.path, "")
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("version"); writer.string("2.0")
        writer.key("routeKey"); writer.string("$default")
        writer.key("rawPath"); writer.string(path)
        writer.key("rawQueryString"); writer.string(query)
        writer.key("headers")
        writer.beginObject()
        writer.key("host"); writer.string("abcdefg.lambda-url.us-east-1.on.aws")
        for (name, value) in test.headers { writer.key(name.lowercased()); writer.string(value) }
        writer.endObject()
        writer.key("requestContext")
        writer.beginObject()
        writer.key("domainName"); writer.string("abcdefg.lambda-url.us-east-1.on.aws")
        writer.key("http")
        writer.beginObject()
        writer.key("method"); writer.string(test.method.rawValue)
        writer.key("path"); writer.string(path)
        writer.key("protocol"); writer.string("HTTP/1.1")
        writer.key("sourceIp"); writer.string("203.0.113.9")
        writer.endObject()
        writer.endObject()
        writer.key("isBase64Encoded"); writer.bool(false)
        writer.endObject()
        return writer.bytes
    }

    /// A buffered 2.0 answer as a test sees a response.
    static func observe(bufferedJSON json: JSONValue) throws -> Observed {
        let status = try #require(json["statusCode"]?.int)
        let body = try #require(json["body"]?.string)
        let bytes = json["isBase64Encoded"]?.bool == true ? try #require(Base64.decode(body)) : Array(body.utf8)
        return Observed(status: status, headers: headers(json), body: bytes)
    }

    static func headers(_ json: JSONValue) -> [(String, String)] {
        var headers = (json["headers"]?.object?.members ?? []).map { ($0.key, $0.value.string ?? "") }
        headers += (json["cookies"]?.array ?? []).map { ("set-cookie", $0.string ?? "") }
        return headers
    }

    func runtime(mode: LambdaRuntime.InvokeMode, app: AppHarness? = nil, _ body: (FakeRuntimeAPI) throws -> Void) throws {
        let app = try app ?? AppHarness()
        let api = try FakeRuntimeAPI()
        let runtime = LambdaRuntime(client: try HTTPRuntimeAPIClient(endpoint: api.endpoint),
                                    handler: LambdaEventHandler(responder: app.responder, logger: AppHarness.quietLogger, warmUpRequests: SwiftletApp.warmUpRequests, keepWarmRequest: SwiftletApp.healthCheckRequest), mode: mode, exportsTraceID: false)
        let executor = try DedicatedExecutor(name: "lambda-loop")
        let finished = Atomic<Bool>(false)
        executor.start {
            try? await runtime.run()
            finished.store(true, ordering: .releasing)
        }
        defer {
            // The stopped fake answers the waiting /next with a 500, which ends the loop; its task
            // is waited for before its thread stops, so that nothing is left parked on it.
            _ = runtime.requestStop()
            api.stop()
            let deadline = ContinuousClock.now + .seconds(5)
            while !finished.load(ordering: .acquiring) && ContinuousClock.now < deadline { usleep(1_000) }
            executor.stop()
        }
        try body(api)
        #expect(api.violations.isEmpty, "\(api.violations)")
    }

    @Test("Function URL events, buffered", arguments: RouteContractTests.cases)
    func buffered(_ test: Case) throws {
        try runtime(mode: .buffered) { api in
            let id = api.enqueue(Self.event(test))
            let answer = try #require(api.answer(for: id))
            #expect(answer.kind == .response)
            let observed = try Self.observe(bufferedJSON: try #require(answer.json))
            RouteContractTests.check(observed, test, bodyExpected: test.method != .head)
            #expect(observed.header("X-Request-Id") == id, "the id CloudWatch shows")
            if test.method == .head { #expect(observed.body.isEmpty) }
        }
    }

    @Test("Function URL events, streamed", arguments: RouteContractTests.cases)
    func streamed(_ test: Case) throws {
        try runtime(mode: .responseStream) { api in
            let id = api.enqueue(Self.event(test))
            let answer = try #require(api.answer(for: id), "\(api.violations) \(api.answers.map { ($0.status, $0.kind, $0.text.prefix(300)) })")
            #expect(answer.kind == .streamedResponse)
            #expect(answer.trailers.isEmpty)
            let split = try #require((0..<answer.body.count).first { answer.body[$0] == 0 })
            let prelude = try JSONValue.parse(Array(answer.body[..<split]))
            let observed = Observed(status: try #require(prelude["statusCode"]?.int), headers: Self.headers(prelude), body: Array(answer.body[(split + 8)...]))
            RouteContractTests.check(observed, test, bodyExpected: test.method != .head)
            if test.method == .head { #expect(observed.body.isEmpty) }
        }
    }

    @Test("through the dev server's invoke endpoint", arguments: RouteContractTests.cases)
    func invokeEndpoint(_ test: Case) throws {
        let app = try AppHarness()
        let endpoint = AppHarness(responder: LambdaInvokeEndpoint(app: app.responder, handler: LambdaEventHandler(responder: app.responder, logger: AppHarness.quietLogger, warmUpRequests: SwiftletApp.warmUpRequests, keepWarmRequest: SwiftletApp.healthCheckRequest)))
        try endpoint.overTheWire { client, _ in
            let event = String(decoding: Self.event(test), as: UTF8.self)
            let response = try #require(try client.request("POST", LambdaInvokeEndpoint.path, headers: [("Content-Type", "application/json")], body: event))
            #expect(response.status == 200)
            #expect(response.header("X-Amz-Function-Error") == nil)
            let observed = try Self.observe(bufferedJSON: try JSONValue.parse(response.body))
            RouteContractTests.check(observed, test, bodyExpected: test.method != .head)
            // The app is still there beside it.
            #expect(try client.request("GET", "/health")?.status == 200)
        }
    }

    @Test("the invoke endpoint reports an event it cannot serve as Lambda's Invoke does")
    func invokeEndpointError() throws {
        let app = try AppHarness()
        let endpoint = AppHarness(responder: LambdaInvokeEndpoint(app: app.responder, handler: LambdaEventHandler(responder: app.responder, logger: AppHarness.quietLogger, warmUpRequests: SwiftletApp.warmUpRequests, keepWarmRequest: SwiftletApp.healthCheckRequest)))
        try endpoint.overTheWire { client, _ in
            let response = try #require(try client.request("POST", LambdaInvokeEndpoint.path, body: #"{"Records":[]}"#))
            #expect(response.status == 200)
            #expect(response.header("X-Amz-Function-Error") == "Unhandled")
            #expect(try JSONValue.parse(response.body)["errorType"]?.string == "Runtime.UnsupportedEvent")
            #expect(try client.request("GET", LambdaInvokeEndpoint.path)?.status == 405)
        }
    }
}
