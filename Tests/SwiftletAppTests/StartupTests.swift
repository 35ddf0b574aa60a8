import Glibc
import SwiftletApp
import TestSupport
import Testing
import VisitStore

/// Broken templates and assets are refused at start, naming the file, line and column.
@Suite("startup checks and asset export")
struct StartupTests {
    /// A copy of the shipped templates with `name` replaced by `source`.
    func templates(replacing name: String, with source: String) -> TemporaryFolder {
        let folder = TemporaryFolder()
        _ = system("cp -r '\(Repository.templates)' '\(folder.path)/templates'")
        folder.write("templates/\(name).mustache", Array(source.utf8))
        return folder
    }

    func startError(_ folder: TemporaryFolder) -> String? {
        do {
            _ = try AppHarness(templates: folder.file("templates"))
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func syntaxErrorNamesFileLineAndColumn() {
        let folder = templates(replacing: "home", with: "{{<layout}}\n{{$content}}\n  <p>{{#visits}}</p>\n{{/content}}\n{{/layout}}\n")
        let message = startError(folder)
        #expect(message?.contains("templates/home.mustache:4:1") == true, "\(message ?? "no error")")
    }

    @Test func missingPartialIsRefusedWithItsPlace() {
        let folder = templates(replacing: "home", with: "<p>\n  {{>partials/nope}}")
        let message = startError(folder)
        #expect(message?.contains("templates/home.mustache:2:3: includes \"partials/nope\"") == true, "\(message ?? "no error")")
    }

    @Test func missingAssetIsRefusedWithItsPlace() {
        let folder = templates(replacing: "home", with: "<link href=\"{{#asset}}app.css{{/asset}}\">\n<link href=\"{{#asset}} missing.css {{/asset}}\">")
        let message = startError(folder)
        #expect(message?.contains("templates/home.mustache:2:13: links the asset \"missing.css\"") == true, "\(message ?? "no error")")
    }

    /// README promises a syntax error is refused with its place; `{{visits` left open used to find
    /// a later tag's `}}` and silently drop everything between.
    @Test func unclosedTagIsRefusedWithItsPlace() {
        let folder = templates(replacing: "home", with: "<p>{{visits</p>\n<ul>{{#regions}}<li>{{name}}</li>{{/regions}}</ul>\n")
        let message = startError(folder)
        #expect(message?.contains("templates/home.mustache:1:4: a tag opened with {{ is never closed") == true, "\(message ?? "no error")")
    }

    @Test func missingRequiredPageIsRefused() {
        let folder = templates(replacing: "home", with: "")
        _ = unlink(folder.file("templates/not-found.mustache"))
        #expect(startError(folder)?.contains("not-found.mustache") == true)
    }

    @Test func exportWritesTheBytesAndHeadersTheServerSends() async throws {
        let out = TemporaryFolder()
        let catalog = try SwiftletApp.loadAssets(configuration: AppConfiguration(publicFolder: Repository.publicFolder))
        let uploads = try AssetExport(catalog: catalog).write(to: out.path)
        let app = try AppHarness()
        for asset in catalog.assets {
            let served = try await app.direct(.get, asset.hashedPath)
            #expect(readFile(out.path + asset.hashedPath) == served.body)
            let upload = try #require(uploads.first { "/" + $0.key == asset.hashedPath })
            #expect(upload.cacheControl == served.header("Cache-Control"))
            #expect(upload.contentType == served.header("Content-Type"))
            if asset.gzip != nil {
                let packed = try await app.direct(.get, asset.hashedPath, headers: [("Accept-Encoding", "gzip")])
                #expect(readFile(out.path + asset.hashedPath + ".gz") == packed.body)
                #expect(uploads.contains { "/" + $0.key == asset.hashedPath + ".gz" && $0.contentEncoding == "gzip" })
            }
        }
        let manifest = String(decoding: readFile(out.file("manifest.json")) ?? [], as: UTF8.self)
        #expect(manifest.contains(#""app.css":{"path":"\#(RouteContractTests.css)""#))
        #expect(manifest.contains(#""contentType":"text/css; charset=utf-8""#))
    }

    @Test func devModeReloadsChangedTemplates() async throws {
        let folder = templates(replacing: "not-found", with: "{{<layout}}{{$content}}first version{{/content}}{{/layout}}")
        let configuration = AppConfiguration(publicFolder: Repository.publicFolder, templatesFolder: folder.file("templates"), developmentMode: true)
        let log = LogRecord()
        let responder = try SwiftletApp.makeResponder(store: InMemoryVisitStore(), configuration: configuration, logger: log.logger)
        let app = AppHarness(responder: responder)
        #expect(try await app.direct(.get, "/nope").text.contains("first version"))

        /// Sends requests (each may look for changes, at most every quarter second) until the log
        /// says `text` once more than it did; 15 s: a sanitizer run is slow.
        func requestUntilLogged(_ text: String) async throws -> Bool {
            let before = log.count(of: text)
            let deadline = ContinuousClock.now + .seconds(15)
            while ContinuousClock.now < deadline {
                _ = try await app.direct(.get, "/nope")
                if log.count(of: text) > before { return true }
                try await Task.sleep(for: .milliseconds(20))
            }
            return false
        }

        folder.write("templates/not-found.mustache", Array("{{<layout}}{{$content}}second version{{/content}}{{/layout}}".utf8))
        #expect(try await requestUntilLogged("reloaded templates and assets"), "\(log.lines)")
        #expect(try await app.direct(.get, "/nope").text.contains("second version"))
        // A broken edit keeps the last good version.
        folder.write("templates/not-found.mustache", Array("{{#broken}}".utf8))
        #expect(try await requestUntilLogged("reload failed; still serving the previous version"), "\(log.lines)")
        #expect(try await app.direct(.get, "/nope").text.contains("second version"))
    }
}
