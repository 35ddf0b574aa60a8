/// A route path such as `/api/visits`, `/users/:id` or `/assets/*`: literal segments, named
/// parameters (`:name`) and a trailing catch-all (`*`, its match stored under the name `*`).
struct RoutePattern: Sendable, Equatable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case catchAll
    }

    let segments: [Segment]

    init(_ path: String) {
        segments = path.split(separator: "/", omittingEmptySubsequences: true).map { part in
            if part == "*" { return .catchAll }
            if part.hasPrefix(":") { return .parameter(String(part.dropFirst())) }
            return .literal(String(part))
        }
    }

    /// `true` when the pattern has no parameters, so it can be found by exact lookup.
    var isStatic: Bool {
        segments.allSatisfy { if case .literal = $0 { true } else { false } }
    }

    /// The normalized path of a static pattern (`/a/b`).
    var staticKey: String {
        "/" + segments.map { if case .literal(let text) = $0 { text } else { "" } }.joined(separator: "/")
    }

    /// Matches `parts` (a path split at `/`); returns the parameters, percent-decoded, or `nil`.
    func match(_ parts: [Substring]) -> [String: String]? {
        var parameters: [String: String] = [:]
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .catchAll:
                guard index < parts.count else { return nil }
                parameters["*"] = parts[index...].joined(separator: "/")
                return parameters
            case .literal(let text):
                guard index < parts.count, parts[index] == text else { return nil }
            case .parameter(let name):
                guard index < parts.count, let value = PercentDecoding.decode(parts[index]) else { return nil }
                parameters[name] = value
            }
        }
        return parts.count == segments.count ? parameters : nil
    }
}
