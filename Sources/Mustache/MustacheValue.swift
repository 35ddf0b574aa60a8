/// The data a template renders: what JSON can say, plus lambdas for helpers such as the asset
/// path of a file. A typed value instead of `[String: Any]`, so lookups need no casts and the whole
/// context is `Sendable`.
public enum MustacheValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([MustacheValue])
    case object(MustacheObject)
    /// A section lambda: `{{#name}}text{{/name}}` inserts `transform("text")`, HTML-escaped and not
    /// parsed again; `{{name}}` inserts `transform("")`.
    case lambda(@Sendable (String) -> String)

    /// False for `false`, `null` and the empty list (the spec's falsey values); true otherwise.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .list(let items): !items.isEmpty
        default: true
        }
    }

    /// The member `key` of an object, or `nil`.
    subscript(key: String) -> MustacheValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }
}

extension MustacheValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: MustacheValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, MustacheValue)...) {
        self = .object(MustacheObject(unlabeled: elements))
    }
    public init(nilLiteral: ()) { self = .null }
}
