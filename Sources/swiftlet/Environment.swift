import Glibc

/// Reads environment variables; only the executable does, everything else gets plain structs.
struct Environment {
    private let lookup: (String) -> String?

    init(lookup: @escaping (String) -> String? = { name in getenv(name).map { String(cString: $0) } }) {
        self.lookup = lookup
    }

    subscript(_ name: String) -> String? {
        guard let value = lookup(name), !value.isEmpty else { return nil }
        return value
    }

    /// The first of `names` that is set, with its value.
    func first(of names: [String]) -> (String, String)? {
        for name in names { if let value = self[name] { return (name, value) } }
        return nil
    }

    /// A port from `name`, or `nil` when unset.
    func port(_ name: String) throws(ConfigurationError) -> UInt16? {
        guard let text = self[name] else { return nil }
        return try Self.port(text, name: name)
    }

    /// `text` as a port, or an error naming `name` (a variable or a flag).
    static func port(_ text: String, name: String) throws(ConfigurationError) -> UInt16 {
        guard let port = UInt16(text) else {
            throw ConfigurationError.invalidValue(name: name, value: text, expected: "a port number from 0 to 65535")
        }
        return port
    }
}
