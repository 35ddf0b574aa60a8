import Foundation
import Mustache
import Testing

/// Every case of the official Mustache spec (`Fixtures/mustache-spec/`, see its README), byte for byte.
@Suite("mustache: the official spec")
struct MustacheSpecTests {
    static let specFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("Fixtures/mustache-spec")

    static let files = ["comments", "delimiters", "interpolation", "inverted", "partials", "sections", "~inheritance"]

    static var cases: [SpecCase] {
        files.flatMap { file -> [SpecCase] in
            let url = specFolder.appendingPathComponent("\(file).json")
            guard let data = try? Data(contentsOf: url), let spec = try? JSONDecoder().decode(SpecFile.self, from: data) else {
                return [SpecCase(file: file, name: "cannot read \(url.path)", template: "", partials: [:], data: .null, expected: "missing")]
            }
            return spec.tests.map { SpecCase(file: file, name: $0.name, template: $0.template, partials: $0.partials ?? [:], data: $0.data, expected: $0.expected) }
        }
    }

    @Test("spec case", arguments: cases)
    func specCase(_ test: SpecCase) throws {
        var sources = test.partials
        sources["__test__"] = test.template
        let library = try MustacheLibrary(sources: sources)
        let output = library.render("__test__", context: test.data.mustache).map { String(decoding: $0, as: UTF8.self) }
        #expect(output == test.expected, "\(test.file): \(test.name)")
    }

    @Test func everySpecFileIsThere() {
        #expect(Self.cases.count == 163)
    }
}

struct SpecCase: Sendable, CustomTestStringConvertible {
    let file: String
    let name: String
    let template: String
    let partials: [String: String]
    let data: SpecValue
    let expected: String
    var testDescription: String { "\(file): \(name)" }
}

struct SpecFile: Decodable {
    struct Test: Decodable {
        let name: String
        let template: String
        let partials: [String: String]?
        let data: SpecValue
        let expected: String
    }
    let tests: [Test]
}

/// JSON as the spec writes it, keeping integers apart from decimals.
indirect enum SpecValue: Decodable, Sendable {
    case null, bool(Bool), int(Int), double(Double), string(String), list([SpecValue]), object([String: SpecValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([SpecValue].self) { self = .list(value) }
        else { self = .object(try container.decode([String: SpecValue].self)) }
    }

    var mustache: MustacheValue {
        switch self {
        case .null: .null
        case .bool(let value): .bool(value)
        case .int(let value): .int(value)
        case .double(let value): .double(value)
        case .string(let value): .string(value)
        case .list(let items): .list(items.map(\.mustache))
        case .object(let members): .object(MustacheObject(members.mapValues(\.mustache)))
        }
    }
}
