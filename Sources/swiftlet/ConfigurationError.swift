/// A setting that cannot be used, with the one line a user needs to fix it.
enum ConfigurationError: Error, CustomStringConvertible {
    case invalidValue(name: String, value: String, expected: String)
    case cannotListen(address: String, reason: String)

    var description: String {
        switch self {
        case .invalidValue(let name, let value, let expected):
            "\(name)=\(value) is not valid: expected \(expected)"
        case .cannotListen(let address, let reason):
            "cannot listen on \(address): \(reason)"
        }
    }
}
