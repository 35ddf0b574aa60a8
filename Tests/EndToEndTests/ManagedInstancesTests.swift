import Glibc
import JSON
import TestSupport
import Testing

/// Lambda Managed Instances: with `AWS_LAMBDA_MAX_CONCURRENCY`, the binary answers that many
/// invocations at once, each exactly once, with each invocation's metrics its own.
@Suite("Lambda Managed Instances", .serialized)
struct ManagedInstancesTests {
    static func post(_ path: String, method: String = "POST") -> String {
        #"{"version":"2.0","rawPath":"\#(path)","rawQueryString":"","headers":{"host":"x.lambda-url.us-west-2.on.aws"},"requestContext":{"http":{"method":"\#(method)","path":"\#(path)","sourceIp":"198.51.100.1"}},"isBase64Encoded":false}"#
    }

    @Test("8 invocations at once, each answered exactly once; counts and metrics exact")
    func eightAtOnce() throws {
        let root = try LambdaCLITests.TaskRoot()
        // Each answer is held until all 8 are in: one slot at a time would never get there.
        let api = try FakeRuntimeAPI(maxConcurrency: 8, holdResponsesUntil: 8)
        defer { api.stop() }
        let ids = (0..<8).map { _ in api.enqueue(Self.post("/api/visits")) }
        let folder = TemporaryFolder()
        let child = try ChildProcess(root.bootstrap, [], environment: LambdaCLITests().environment(root, api, [
            "AWS_LAMBDA_MAX_CONCURRENCY": "8", "SWIFTLET_STORE": "sqlite", "SWIFTLET_SQLITE_PATH": folder.file("visits.sqlite"),
            "AWS_LAMBDA_FUNCTION_NAME": "swiftlet-mi",
        ]))
        var counts: [Int] = []
        for id in ids {
            let answer = try #require(api.answer(for: id, timeout: .seconds(20)), "\(api.violations) \(child.standardError)")
            let body = try #require(answer.json?["body"]?.string)
            counts.append(try #require(try JSONValue.parse(Array(body.utf8))["visits"]?.int))
        }
        #expect(counts.sorted() == Array(1...8), "each visit counted once: \(counts)")
        #expect(api.peakOutstanding == 8)
        #expect(api.connections >= 8, "one Runtime API connection per slot")
        let read = api.enqueue(Self.post("/api/visits", method: "GET"))
        let total = try #require(api.answer(for: read)?.json?["body"]?.string)
        #expect(try JSONValue.parse(Array(total.utf8))["visits"]?.int == 8)
        #expect(api.waitForNextCalls(17), "every slot waits on /next again")
        child.signal(SIGTERM)
        #expect(child.wait(timeout: .seconds(15)) == 0, "\(child.standardError)")
        #expect(api.violations.isEmpty, "\(api.violations)")
        #expect(api.answers.filter { $0.status == 202 }.count == 9, "exactly once each")

        // One EMF line per invocation, each with its own store figures.
        let lines = child.standardOutput.split(separator: "\n")
        #expect(lines.count == 9, "\(child.standardOutput)")
        var visitsByRequest: [String: Int] = [:]
        for line in lines {
            let record = try EmbeddedMetricsTests.validate(line)
            let id = try #require(record.root["RequestId"]?.string)
            visitsByRequest[id] = Int(try #require(record.metrics["VisitsCounted"]))
        }
        for id in ids { #expect(visitsByRequest[id] == 1, "\(id)") }
        #expect(visitsByRequest[read] == 0)
    }

    @Test("a bad AWS_LAMBDA_MAX_CONCURRENCY is an init error")
    func badConcurrency() throws {
        let root = try LambdaCLITests.TaskRoot()
        let api = try FakeRuntimeAPI()
        defer { api.stop() }
        let child = try ChildProcess(root.bootstrap, [], environment: LambdaCLITests().environment(root, api, ["AWS_LAMBDA_MAX_CONCURRENCY": "zero"]))
        #expect(child.wait() == 1)
        let report = try #require(api.initError(timeout: .seconds(2)))
        #expect(report.json?["errorMessage"]?.string?.contains("AWS_LAMBDA_MAX_CONCURRENCY=zero is not valid") == true)
    }
}
