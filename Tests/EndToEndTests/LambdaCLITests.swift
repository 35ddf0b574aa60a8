import Glibc
import JSON
import TestSupport
import Testing

/// The built executable as Lambda runs it: named `bootstrap`, in a task root it cannot write, told
/// where the Runtime API is only by the environment.
@Suite("swiftlet as a Lambda runtime", .serialized)
struct LambdaCLITests {
    /// A task root as the zip unpacks: `bootstrap` (a link to the built binary), `Templates/` and the
    /// asset export, and no `Public/`.
    final class TaskRoot {
        let folder = TemporaryFolder()
        var path: String { folder.path }
        var bootstrap: String { folder.file("bootstrap") }

        init() throws {
            _ = system("cp -r '\(SwiftletCLITests.root)/Templates' '\(folder.path)/Templates'")
            let export = try ChildProcess(SwiftletCLITests.binary, ["assets", folder.file("public-export"), "--public-folder", SwiftletCLITests.root + "/Public"])
            #expect(export.wait() == 0, "\(export.standardError)")
            symlink(SwiftletCLITests.binary, bootstrap)
        }
    }

    func environment(_ root: TaskRoot, _ api: FakeRuntimeAPI, _ extra: [String: String] = [:]) -> [String: String] {
        ["AWS_LAMBDA_RUNTIME_API": api.endpoint, "LAMBDA_TASK_ROOT": root.path, "AWS_REGION": "us-west-2", "SWIFTLET_STORE": "memory"].merging(extra) { $1 }
    }

    static let homeEvent = #"{"version":"2.0","rawPath":"/","rawQueryString":"","headers":{"host":"x.lambda-url.us-west-2.on.aws"},"requestContext":{"http":{"method":"GET","path":"/","sourceIp":"198.51.100.1"}},"isBase64Encoded":false}"#

    @Test("bootstrap, with no arguments, serves Function URL events from the task root; SIGTERM while waiting exits 0")
    func servesAndStops() throws {
        let root = try TaskRoot()
        let api = try FakeRuntimeAPI()
        defer { api.stop() }
        let first = api.enqueue(Self.homeEvent)
        let second = api.enqueue(Self.homeEvent)
        let child = try ChildProcess(root.bootstrap, [], environment: environment(root, api, ["AWS_LAMBDA_LOG_FORMAT": "JSON"]))
        let page = try #require(api.answer(for: first), "\(child.standardError)")
        #expect(page.json?["statusCode"]?.int == 200)
        #expect(page.json?["body"]?.string?.contains("us-west-2") == true)
        #expect(page.json?["headers"]?["x-request-id"]?.string == first)
        #expect(try #require(api.answer(for: second)).json?["body"]?.string?.contains("/assets/app.") == true)
        #expect(api.waitForNextCalls(3))
        child.signal(SIGTERM)
        #expect(child.wait() == 0, "\(child.standardError)")
        #expect(api.violations.isEmpty, "\(api.violations)")
        // JSON log lines, with the invocation's id as requestId.
        let lines = child.standardError.split(separator: "\n").compactMap { try? JSONValue.parse(Array($0.utf8)) }
        #expect(lines.contains { $0["requestId"]?.string == first && $0["level"]?.string == "INFO" }, "\(child.standardError)")
    }

    @Test("a bad setting under Lambda is an init error on the Runtime API and a non-zero exit", arguments: [
        ["SWIFTLET_STORE": "bogus"],
        ["SWIFTLET_INVOKE_MODE": "SOMETIMES"],
        ["SWIFTLET_METRICS": "sometimes"],
        ["SWIFTLET_ORIGIN_SECRET": "short"],
        ["AWS_LAMBDA_LOG_LEVEL": "loud"],
        ["LAMBDA_TASK_ROOT": "/nonexistent"],
        ["SWIFTLET_STORE": "dynamodb"], // the default under Lambda, here with no credentials
    ])
    func initError(_ extra: [String: String]) throws {
        let root = try TaskRoot()
        let api = try FakeRuntimeAPI()
        defer { api.stop() }
        let child = try ChildProcess(root.bootstrap, [], environment: environment(root, api, extra))
        let status = child.wait()
        #expect(status != nil && status != 0)
        let report = try #require(api.initError(timeout: .seconds(2)), "\(child.standardError)")
        #expect(report.headers[.init("Lambda-Runtime-Function-Error-Type")!] == "Runtime.InitError")
        let message = report.json?["errorMessage"]?.string ?? ""
        let mentions = ["LAMBDA_TASK_ROOT": "/nonexistent", "SWIFTLET_STORE": extra["SWIFTLET_STORE"] == "dynamodb" ? "AWS_ACCESS_KEY_ID" : "SWIFTLET_STORE"][extra.keys.first!] ?? extra.keys.first!
        #expect(message.contains(mentions), "\(message)")
        #expect(api.waitForNextCalls(1, timeout: .milliseconds(1)) == false, "asked for an invocation after failing to start")
        #expect(child.standardError.split(separator: "\n").count == 1, "\(child.standardError)")
    }

    @Test("swiftlet with AWS_LAMBDA_RUNTIME_API set is the runtime, even with a container's handler argument; streaming mode streams")
    func streamingByEnvironment() throws {
        let root = try TaskRoot()
        let api = try FakeRuntimeAPI()
        defer { api.stop() }
        let id = api.enqueue(Self.homeEvent)
        let child = try ChildProcess(SwiftletCLITests.binary, ["handler"], environment: environment(root, api, ["SWIFTLET_INVOKE_MODE": "RESPONSE_STREAM"]))
        let answer = try #require(api.answer(for: id), "\(child.standardError)")
        #expect(answer.kind == .streamedResponse)
        #expect(answer.text.contains("<!doctype html>"))
        child.signal(SIGTERM)
        #expect(child.wait() == 0)
        #expect(api.violations.isEmpty, "\(api.violations)")
    }
}
