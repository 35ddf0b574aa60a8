/// A setting that cannot be used, with the one line a user needs to fix it.
enum ConfigurationError: Error, CustomStringConvertible {
    case invalidValue(name: String, value: String, expected: String)
    case cannotListen(address: String, reason: String)
    case missingFolder(String)
    /// A secret that cannot be used, described without its value (which must not reach a log).
    case invalidSecret(name: String, reason: String)
    /// A component refused to start (a store that cannot open, a template that does not compile).
    case cannotStart(String)

    var description: String {
        switch self {
        case .invalidValue(let name, let value, let expected):
            "\(name)=\(value) is not valid: expected \(expected)"
        case .cannotListen(let address, let reason):
            "cannot listen on \(address): \(reason)"
        case .invalidSecret(let name, let reason):
            "\(name) is not valid: \(reason)"
        case .missingFolder(let name):
            "cannot find the \(name) folder in the working directory or next to the executable (or pass --\(name.lowercased())-folder)"
        case .cannotStart(let reason):
            reason
        }
    }

    /// Runs `body`, turning its typed error into a one-line `cannotStart`.
    static func wrapping<T, E: Error>(_ body: () throws(E) -> T) throws(ConfigurationError) -> T {
        do {
            return try body()
        } catch {
            throw .cannotStart("\(error)")
        }
    }
}
