import Glibc
import HTTPTypes
import SwiftletApp
import TestSupport
import Testing

/// The Lambda zip serves assets from `swiftlet assets`' export (read, not hashed or compressed at
/// start); it must answer exactly as the catalog of `Public/` does.
@Suite("asset catalog from an export")
struct AssetExportCatalogTests {
    static let requests: [(String, [(String, String)])] = {
        let catalog = RouteContractTests.assets
        var list: [(String, [(String, String)])] = []
        for asset in catalog.assets {
            list.append((asset.hashedPath, []))
            list.append((asset.hashedPath, [("Accept-Encoding", "gzip")]))
            list.append((asset.hashedPath, [("If-None-Match", asset.etag)]))
            if !asset.logicalName.contains("/") { list.append(("/" + asset.logicalName, [])) }
        }
        return list + [("/", []), ("/no-such-file.css", [])]
    }()

    @Test("every asset, both encodings, 304s and pages: the same answers from both catalogs")
    func identicalAnswers() async throws {
        let export = TemporaryFolder()
        _ = try AssetExport(catalog: RouteContractTests.assets).write(to: export.path)
        let fromPublic = try AppHarness()
        // The export alone: no Public/ folder at all.
        let fromExport = try AppHarness(publicFolder: "/nonexistent", assetExportFolder: export.path)
        for (path, headers) in Self.requests {
            let one = try await fromPublic.direct(.get, path, headers: headers)
            let two = try await fromExport.direct(.get, path, headers: headers)
            #expect(one.status == two.status, "\(path) \(headers)")
            #expect(one.withoutRequestID.replacing(/"visits":\d+/, with: "") == two.withoutRequestID.replacing(/"visits":\d+/, with: ""), "\(path) \(headers)")
        }
    }

    @Test("a manifest that names a missing file, or is not JSON, is refused at start with its path")
    func brokenManifest() throws {
        let export = TemporaryFolder()
        _ = try AssetExport(catalog: RouteContractTests.assets).write(to: export.path)
        let css = try #require(RouteContractTests.assets.path(of: "app.css"))
        _ = unlink(export.path + css)
        #expect(throws: AppError.self) { try AppHarness(assetExportFolder: export.path) }
        export.write("manifest.json", Array("{not json".utf8))
        do {
            _ = try AppHarness(assetExportFolder: export.path)
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("manifest.json"))
        }
    }
}
