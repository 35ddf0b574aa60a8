import Glibc
import JSON
import TestSupport
import Testing

/// The two-region deployment run whole on this machine (`scripts/two-region`): moto for each
/// region's DynamoDB and S3, a replicator, a Function URL emulator per region on a task root of the
/// built `swiftlet`, and nginx as CloudFront. Load through the edge while the primary region loses
/// its store, then its function; pages and health must keep answering from the DR region, and
/// every region's total must be the acknowledged visits plus the page views counted twice (never
/// fewer). The figures themselves are `Benchmarks/two-region`'s, not assertions.
@Suite("two regions behind an edge, rehearsed", .serialized)
struct TwoRegionRehearsalTests {
    static let script = SwiftletCLITests.root + "/scripts/two-region"

    /// A task root as the zip unpacks: `bootstrap` (here the debug build), `Templates/`, the export.
    func taskRoot(in folder: TemporaryFolder) throws -> String {
        let root = folder.file("task-root")
        _ = mkdir(root, 0o755)
        let copy = system("cp '\(SwiftletCLITests.binary)' '\(root)/bootstrap' && cp -r '\(SwiftletCLITests.root)/Templates' '\(root)/Templates'")
        #expect(copy == 0)
        let export = try ChildProcess(SwiftletCLITests.binary, ["assets", root + "/public-export", "--public-folder", SwiftletCLITests.root + "/Public"])
        #expect(export.wait(timeout: .seconds(20)) == 0, "\(export.standardError)")
        return root
    }

    func script(_ arguments: [String], state: String, timeout: Duration) async throws -> ChildProcess {
        let child = try ChildProcess("/usr/bin/env", ["python3", Self.script, "--state", state] + arguments)
        let status = try await onOwnThread { child.wait(timeout: timeout) }
        if status == nil { child.signal(SIGKILL) }
        #expect(status == 0, "two-region \(arguments): \(child.standardError)")
        return child
    }

    @Test("the primary's store, then its function, fails under load: pages from DR, counts exact up to the doubled views")
    func failoverUnderLoad() async throws {
        let folder = TemporaryFolder()
        let state = folder.file("state")
        let root = try taskRoot(in: folder)
        let started = ContinuousClock.now
        let up = try await script(["up", "--task-root", root], state: state, timeout: .seconds(60))
        defer { _ = try? ChildProcess("/usr/bin/env", ["python3", Self.script, "--state", state, "down"]).wait(timeout: .seconds(30)) }
        #expect(up.standardOutput.contains("edge on http://127.0.0.1:"), "\(up.standardOutput)")
        #expect(ContinuousClock.now - started < .seconds(30), "ready in under 30 s")

        let status = try JSONValue.parse(Array(try await script(["status"], state: state, timeout: .seconds(20)).standardOutput.utf8))
        for name in ["edge", "function-us-east-1", "function-us-west-2", "moto-us-east-1", "moto-us-west-2", "replicator"] {
            #expect(status[name]?["answers"]?.bool == true, "\(name) answers")
        }
        // The functions have SWIFTLET_ORIGIN_SECRET: straight to a Function URL is 403, through the edge 200.
        for name in ["function-us-east-1", "function-us-west-2"] {
            let client = try RawClient(port: UInt16(try #require(status[name]?["port"]?.int)))
            #expect(try client.request("GET", "/")?.status == 403, "\(name) without the edge's header")
        }
        let edge = try RawClient(port: UInt16(try #require(status["edge"]?["port"]?.int)))
        #expect(try edge.request("GET", "/")?.status == 200, "through the edge")

        for scenario in ["store", "function"] {
            let run = try await script(["rehearse", "--scenario", scenario, "--seconds", "20"], state: state, timeout: .seconds(90))
            let summary = try JSONValue.parse(Array(run.standardOutput.utf8))
            let label = "\(scenario): \(run.standardOutput)"
            // Every page and health check through the edge answered 200, from DR while the primary was down.
            #expect(summary["pages"]?["failed"]?.int == 0, "\(label)")
            #expect(summary["health"]?["ok"]?.int == summary["health"]?["sent"]?.int, "\(label)")
            let outage = try #require(summary["pages"]?["duringOutage"]?.int)
            #expect(outage > 0 && summary["pages"]?["duringOutageFromDR"]?.int == outage, "\(label)")
            // Pages name the primary again within 5 s of the restore.
            let back = try #require(summary["backToPrimaryMs"]?.int, "\(label)")
            #expect(back < 5_000, "\(label)")
            if scenario == "store" {
                // With its store cut off, the primary's function answers each POST 200 or 503.
                #expect(summary["posts"]?["other"]?.int == 0, "\(label)")
                #expect((summary["posts"]?["unavailable"]?.int ?? 0) > 0, "\(label)")
            }
            // After replication: total = acknowledged POSTs + acknowledged views + views counted twice.
            let east = try #require(summary["doubleCounted"]?["us-east-1"]?.int)
            let west = try #require(summary["doubleCounted"]?["us-west-2"]?.int)
            #expect(east >= 0 && east == west, "\(label)")
            print("two-region \(scenario): \(east) page views counted in both regions")
            #expect(summary["assetDeletedFromPrimary"]?["status"]?.int == 200, "\(label)")
        }
    }
}
