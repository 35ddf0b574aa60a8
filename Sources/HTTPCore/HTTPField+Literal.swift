public import HTTPTypes

extension HTTPField.Name {
    /// A field name written in the source (`"X-Request-Id"`): checked as any name is, and a typo
    /// stops the program at its first use with the name in the message, instead of a force unwrap
    /// at each of a few dozen places. Only for literals; a name from input goes through
    /// `HTTPField.Name(_:)` and its `nil`.
    public init(literal name: StaticString) {
        guard let checked = HTTPField.Name(name.description) else { preconditionFailure("'\(name)' is not an HTTP field name") }
        self = checked
    }
}
