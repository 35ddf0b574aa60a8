import Glibc
import JSON
import TestSupport
import Testing

/// The CloudFormation templates, checked by `scripts/check-templates`: cfn-lint, Swiftlet's own
/// design rules, and a deployment of every stack into moto's CloudFormation (a moto_server of this
/// test's own on loopback). Templates broken on purpose must fail the checks, or the checks prove
/// nothing.
@Suite("CloudFormation templates", .serialized)
struct TemplateChecksTests {
    static let script = SwiftletCLITests.root + "/scripts/check-templates"
    static let templates = SwiftletCLITests.root + "/scripts/cloudformation"

    func check(_ arguments: [String]) async throws -> (status: Int32?, output: String, error: String) {
        let child = try ChildProcess("/usr/bin/env", ["python3", Self.script] + arguments)
        let status = try await onOwnThread { child.wait(timeout: .seconds(120)) }
        if status == nil { child.signal(SIGKILL) }
        return (status, child.standardOutput, child.standardError)
    }

    @Test("every stack deploys into moto in README's order, and its outputs resolve")
    func deploysIntoMoto() async throws {
        let moto = try await MotoServer.start()
        defer { moto.stop() }
        let (status, output, error) = try await check(["--endpoint", moto.endpoint])
        #expect(status == 0, "\(error)")
        let summary = try JSONValue.parse(Array(output.utf8))
        let stacks = try #require(summary["stacks"]?.array)
        #expect(stacks.map { "\($0["template"]?.string ?? "") \($0["region"]?.string ?? "")" } == [
            "region.yaml us-east-1", "region.yaml us-west-2", "assets-replica.yaml us-west-2", "edge.yaml us-east-1", "assets-replica.yaml us-west-2",
        ])
        #expect(stacks.last?["status"]?.string == "UPDATE_COMPLETE", "the replica stack's second deploy, with the distribution id")
        for stack in stacks {
            let built = stack["built"]?.array?.compactMap(\.string) ?? []
            #expect(!built.isEmpty, "\(stack)")
        }
        #expect(stacks[0]["built"]?.array?.contains(.string("Function")) == true)
        #expect(stacks[3]["outputs"]?["AssetsBucket"]?.string?.isEmpty == false)
        // What moto could not build is said, not hidden.
        let skipped = summary["notBuiltByMoto"]?["edge.yaml"]?["resources"]
        #expect(skipped?["Distribution"]?.string == "moto has no AWS::CloudFront::Distribution")
        #expect(skipped?["DomainRecordA"]?.string == "refers to Distribution")
        #expect((summary["designRules"]?.array?.count ?? 0) >= 10)
    }

    /// A template broken on purpose, and what the failing check must say.
    struct Breakage: Sendable, CustomTestStringConvertible {
        var file: String
        /// Each text to find once, and what it becomes.
        var edits: [(find: String, replace: String)]
        var mentions: String
        var needsMoto: Bool
        var testDescription: String { mentions }
    }

    static let breakages: [Breakage] = [
        // A property CloudFormation does not have: cfn-lint refuses it.
        Breakage(file: "region.yaml", edits: [("      MemorySize: !Ref MemorySize\n", "      MemorySize: !Ref MemorySize\n      MemorySise: 512\n")],
                 mentions: "MemorySise", needsMoto: false),
        // A parameter the deployment does not pass: the stack is refused.
        Breakage(file: "region.yaml", edits: [
            ("  Metrics:\n    Type: String\n", "  Stage:\n    Type: String\n    Description: Required, with no default.\n  Metrics:\n    Type: String\n"),
            ("          SWIFTLET_METRICS: !Ref Metrics\n", "          SWIFTLET_METRICS: !Ref Metrics\n          SWIFTLET_STAGE: !Ref Stage\n"),
        ], mentions: "Stage", needsMoto: true),
        // Lint-clean but against the design: the DR origin no longer proves it is CloudFront.
        Breakage(file: "edge.yaml", edits: [("            ResponseCompletionTimeout: !Ref FunctionTimeout\n            OriginCustomHeaders:\n              - HeaderName: X-Origin-Verify\n                HeaderValue: !Ref OriginSecret\n            CustomOriginConfig:\n              OriginProtocolPolicy: https-only\n              OriginSSLProtocols: [TLSv1.2]\n              OriginReadTimeout: !Ref FunctionTimeout",
                 "            ResponseCompletionTimeout: !Ref FunctionTimeout\n            CustomOriginConfig:\n              OriginProtocolPolicy: https-only\n              OriginSSLProtocols: [TLSv1.2]\n              OriginReadTimeout: !Ref FunctionTimeout")],
                 mentions: "design rule: edge.yaml: origin secondary sends X-Origin-Verify", needsMoto: false),
    ]

    @Test("a broken template fails the checks with a message that names the fault", arguments: breakages)
    func brokenTemplatesFail(_ breakage: Breakage) async throws {
        let folder = TemporaryFolder()
        for name in ["region.yaml", "assets-replica.yaml", "edge.yaml"] {
            var text = String(decoding: try #require(readFile(Self.templates + "/" + name)), as: UTF8.self)
            if name == breakage.file {
                for edit in breakage.edits {
                    #expect(text.ranges(of: edit.find).count == 1, "the template changed: update this breakage")
                    text = text.replacing(edit.find, with: edit.replace)
                }
            }
            folder.write(name, Array(text.utf8))
        }
        var arguments = ["--templates", folder.path]
        var moto: MotoServer?
        if breakage.needsMoto {
            moto = try await MotoServer.start()
            arguments += ["--endpoint", moto!.endpoint]
        } else {
            arguments.append("--lint-only")
        }
        defer { moto?.stop() }
        let (status, _, error) = try await check(arguments)
        #expect(status == 1, "\(error)")
        #expect(error.hasPrefix("check-templates: ") && error.split(separator: "\n").count == 1, "\(error)")
        #expect(error.contains(breakage.mentions), "\(error)")
    }
}
