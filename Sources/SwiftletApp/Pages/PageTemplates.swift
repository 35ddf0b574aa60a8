import HTTPCore
package import Mustache

/// The templates of `Templates/`, compiled once and checked at start: syntax, partials that
/// exist, the pages the app needs, and every asset a template links.
package struct PageTemplates: Sendable {
    /// The templates the app renders by name.
    static let required = ["home", "not-found", "error"]

    package let library: MustacheLibrary
    /// Values every page gets: the `asset` helper, the serving region and where the app runs
    /// (the outer context).
    let shared: MustacheValue

    /// Loads `folder/**/*.mustache`; a template is named by its path without the extension
    /// (`home`, `partials/counts`).
    package init(folder: String, catalog: AssetCatalog, region: String, runtime: String = "the dev server") throws(AppError) {
        var sources: [String: String] = [:]
        for file in try FileSystem.files(under: folder) where file.hasSuffix(".mustache") {
            let bytes = try FileSystem.read("\(folder)/\(file)")
            sources[String(file.dropLast(".mustache".count))] = String(decoding: bytes, as: UTF8.self)
        }
        do throws(MustacheError) {
            library = try MustacheLibrary(sources: sources)
        } catch {
            var located = error
            located.template = "\(folder)/\(error.template).mustache"
            throw .template(located)
        }
        for name in Self.required where sources[name] == nil { throw .missingTemplate(name) }
        func place(_ template: String, _ location: MustacheLocation?) -> String {
            "\(folder)/\(template).mustache" + (location.map { ":\($0.line):\($0.column)" } ?? "")
        }
        if let missing = library.missingPartials().first {
            let location = library.location(ofPartial: missing.partial, in: missing.template)
            throw .missingPartial(template: place(missing.template, location), partial: missing.partial)
        }
        for use in library.sectionTexts(named: "asset") {
            let name = use.text.trimmingCharacters
            if catalog.path(of: name) == nil {
                let location = library.location(ofSection: "asset", text: use.text, in: use.template)
                throw .missingAsset(template: place(use.template, location), asset: name)
            }
        }
        // Every text the helper can be asked for is known now: resolve them once.
        var resolved: [String: String] = [:]
        for use in library.sectionTexts(named: "asset") {
            resolved[use.text] = catalog.path(of: use.text.trimmingCharacters)
        }
        let paths = resolved
        shared = [
            "asset": .lambda { text in paths[text] ?? catalog.path(of: text.trimmingCharacters) ?? "" },
            "region": .string(region),
            "runtime": .string(runtime),
        ]
    }

    /// Renders page `name` with `values` added to the shared ones.
    func render(_ name: String, _ values: MustacheObject) -> [UInt8] {
        library.render(name, contexts: [shared, .object(values)]) ?? []
    }
}

extension String {
    var trimmingCharacters: String {
        String(Substring(self).trimmingWhitespace().filter { $0 != "\n" && $0 != "\r" })
    }
}
