/// A JSON document as the runtime and the stores read it (RFC 8259): events from Lambda, the
/// asset manifest, DynamoDB answers. Numbers keep their text, so no digit is lost to a `Double`;
/// objects keep their members in order, and a repeated key keeps its first value on lookup.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number as it was written (`12`, `-0.5e3`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// Parses `bytes`, which must hold exactly one JSON value (whitespace around it allowed).
    public static func parse(_ bytes: [UInt8]) throws(JSONError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONError) in
            var parser = JSONParser(buffer)
            return try parser.parseDocument()
        }
    }

    public subscript(_ key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The number as an integer, when it is one that fits.
    public var int: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    public var object: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var isNull: Bool { self == .null }
}

/// The members of a JSON object in document order. Events have a few dozen keys at most, so a
/// lookup compares keys in turn rather than hashing them.
public struct JSONObject: Sendable, Equatable {
    public var members: [(key: String, value: JSONValue)]

    public init(_ members: [(key: String, value: JSONValue)] = []) {
        self.members = members
    }

    public subscript(_ key: String) -> JSONValue? {
        for member in members where member.key == key { return member.value }
        return nil
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
