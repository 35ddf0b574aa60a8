/// Where in its template a tag stands, for an app's start-up checks to point at the line to fix
/// (a partial that does not exist, a helper's argument that names nothing).
public struct MustacheLocation: Sendable, Equatable, CustomStringConvertible {
    public var template: String
    public var line: Int
    public var column: Int

    public var description: String { "\(template):\(line):\(column)" }
}

extension MustacheLibrary {
    /// The first `{{>name}}` or `{{<name}}` in `template`.
    public func location(ofPartial name: String, in template: String) -> MustacheLocation? {
        firstTag(in: template) { token, _ in (token.kind == .partial || token.kind == .parent) && token.name == name }
    }

    /// The first `{{#section}}text{{/section}}` in `template` whose text, without surrounding
    /// whitespace, is `text` without it.
    public func location(ofSection section: String, text: String, in template: String) -> MustacheLocation? {
        let wanted = MustacheScanner.trimmed(Array(text.utf8)[...])
        return firstTag(in: template) { token, rest in
            guard token.kind == .section, token.name == section,
                  let close = rest.first(where: { $0.kind == .close && $0.name == section }) else { return false }
            return MustacheScanner.trimmed(sources[template]![token.end..<close.start]) == wanted
        }
    }

    private func firstTag(in template: String, where matches: (MustacheToken, ArraySlice<MustacheToken>) -> Bool) -> MustacheLocation? {
        guard let source = sources[template] else { return nil }
        let scanner = MustacheScanner(source: source, templateName: template, lineOffset: 0)
        // The library compiled, so its sources scan.
        guard let tokens = try? scanner.scan() else { return nil }
        for (index, token) in tokens.enumerated() where matches(token, tokens[(index + 1)...]) {
            let (line, column) = scanner.position(of: token.start)
            return MustacheLocation(template: template, line: line, column: column)
        }
        return nil
    }
}
