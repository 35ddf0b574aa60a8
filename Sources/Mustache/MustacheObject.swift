/// The members of a context object (`{"title": ..., "visits": ...}`), found by name.
///
/// A page's objects have a handful of members and a render looks names up dozens of times: a
/// list compared key by key (short ASCII keys compare as two machine words) beats hashing each
/// name, which was a quarter of a render with `[String: MustacheValue]`. Objects with many
/// members also get a hash index, built once.
public struct MustacheObject: Sendable {
    private let members: [(String, MustacheValue)]
    /// For large objects: each key's last position in `members`.
    private let index: [String: Int]?
    static let indexThreshold = 12

    /// Members in order; where a key repeats, the last one counts.
    public init(_ members: [(key: String, value: MustacheValue)]) {
        self.init(unlabeled: members.map { ($0.key, $0.value) })
    }

    public init(_ dictionary: [String: MustacheValue]) {
        self.init(unlabeled: dictionary.map { ($0.key, $0.value) })
    }

    /// Takes the array as it is (a dictionary literal's, say): no copy.
    init(unlabeled members: [(String, MustacheValue)]) {
        self.members = members
        if members.count > Self.indexThreshold {
            var index = [String: Int](minimumCapacity: members.count)
            for (position, member) in members.enumerated() { index[member.0] = position }
            self.index = index
        } else {
            self.index = nil
        }
    }

    /// The member named `key`, or `nil`.
    public subscript(key: String) -> MustacheValue? {
        if let index { return index[key].map { members[$0].1 } }
        return members.withUnsafeBufferPointer { members in
            var position = members.count - 1
            while position >= 0 {
                if members[position].0 == key { return members[position].1 }
                position -= 1
            }
            return nil
        }
    }
}

extension MustacheObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, MustacheValue)...) {
        self.init(unlabeled: elements)
    }
}
