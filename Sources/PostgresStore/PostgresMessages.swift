/// The frontend messages the store sends, in the wire form of the PostgreSQL frontend/backend
/// protocol version 3 ("Message Formats", PostgreSQL documentation, chapter 55): a type byte
/// (none for the startup packets), a big-endian length that counts itself, then the fields.
enum FrontendMessage {
    /// `SSLRequest`: the length 8 and the code 80877103; the server answers one byte, `S` or `N`.
    static let sslRequest: [UInt8] = [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F]

    /// `StartupMessage`, protocol 3.0, with the user, the database and our name.
    static func startup(user: String, database: String) -> [UInt8] {
        var body: [UInt8] = []
        appendInt32(196_608, to: &body) // 3 << 16 | 0
        for (name, value) in [("user", user), ("database", database), ("application_name", "swiftlet"), ("client_encoding", "UTF8")] {
            appendCString(name, to: &body)
            appendCString(value, to: &body)
        }
        body.append(0)
        var message: [UInt8] = []
        appendInt32(Int32(body.count + 4), to: &message)
        return message + body
    }

    /// `PasswordMessage` (`p`): a cleartext or md5 password.
    static func password(_ text: String) -> [UInt8] {
        var body: [UInt8] = []
        appendCString(text, to: &body)
        return framed("p", body)
    }

    /// `SASLInitialResponse` (`p`): the mechanism and the client-first message.
    static func saslInitialResponse(mechanism: String, _ data: [UInt8]) -> [UInt8] {
        var body: [UInt8] = []
        appendCString(mechanism, to: &body)
        appendInt32(Int32(data.count), to: &body)
        body += data
        return framed("p", body)
    }

    /// `SASLResponse` (`p`): the client-final message.
    static func saslResponse(_ data: [UInt8]) -> [UInt8] {
        framed("p", data)
    }

    /// `Parse` (`P`): a named statement, its parameters' types left to the server.
    static func parse(statement: String, query: String) -> [UInt8] {
        var body: [UInt8] = []
        appendCString(statement, to: &body)
        appendCString(query, to: &body)
        appendInt16(0, to: &body)
        return framed("P", body)
    }

    /// `Bind` (`B`): text parameters (`nil` is SQL NULL) into the unnamed portal, text results.
    static func bind(statement: String, parameters: [String?]) -> [UInt8] {
        var body: [UInt8] = []
        appendCString("", to: &body)
        appendCString(statement, to: &body)
        appendInt16(0, to: &body) // every parameter in text format
        appendInt16(Int16(parameters.count), to: &body)
        for parameter in parameters {
            guard let parameter else { appendInt32(-1, to: &body); continue }
            let bytes = Array(parameter.utf8)
            appendInt32(Int32(bytes.count), to: &body)
            body += bytes
        }
        appendInt16(0, to: &body) // every result column in text format
        return framed("B", body)
    }

    /// `Execute` (`E`) of the unnamed portal, every row.
    static let execute: [UInt8] = framed("E", [0, 0, 0, 0, 0])
    /// `Sync` (`S`): the end of the extended-query batch; the server answers `ReadyForQuery`.
    static let sync: [UInt8] = framed("S", [])
    /// `Terminate` (`X`).
    static let terminate: [UInt8] = framed("X", [])

    /// `Query` (`Q`): the simple query protocol, for `create-table`'s statements.
    static func query(_ text: String) -> [UInt8] {
        var body: [UInt8] = []
        appendCString(text, to: &body)
        return framed("Q", body)
    }

    static func framed(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        var message: [UInt8] = [type.asciiValue!]
        appendInt32(Int32(body.count + 4), to: &message)
        return message + body
    }

    static func appendInt32(_ value: Int32, to buffer: inout [UInt8]) {
        let bits = UInt32(bitPattern: value)
        buffer += [UInt8(bits >> 24), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits & 0xFF)]
    }

    static func appendInt16(_ value: Int16, to buffer: inout [UInt8]) {
        let bits = UInt16(bitPattern: value)
        buffer += [UInt8(bits >> 8), UInt8(bits & 0xFF)]
    }

    /// A C string; the text must hold no NUL (the store's are its own SQL and names).
    static func appendCString(_ text: String, to buffer: inout [UInt8]) {
        buffer += text.utf8.filter { $0 != 0 }
        buffer.append(0)
    }
}

/// One backend message: its type byte and its body.
struct BackendMessage: Equatable {
    let type: UInt8
    let body: [UInt8]

    /// The message starting at `start` and the index after it, or `nil` when it is not all there.
    /// A length under 4 or over `maximumLength` is a protocol violation.
    static func parse(_ bytes: [UInt8], from start: Int, maximumLength: Int = 16 << 20) throws(PostgresError) -> (BackendMessage, Int)? {
        guard bytes.count - start >= 5 else { return nil }
        let length = Int(Int32(bitPattern: UInt32(bytes[start + 1]) << 24 | UInt32(bytes[start + 2]) << 16 | UInt32(bytes[start + 3]) << 8 | UInt32(bytes[start + 4])))
        guard length >= 4, length <= maximumLength else { throw .protocolViolation("a message of length \(length)") }
        let end = start + 1 + length
        guard bytes.count >= end else { return nil }
        return (BackendMessage(type: bytes[start], body: Array(bytes[(start + 5)..<end])), end)
    }

    /// A reader over the body's fields.
    var reader: FieldReader { FieldReader(bytes: body) }
}

/// Reads a backend message's fields in order; any read past the end is a protocol violation.
struct FieldReader {
    let bytes: [UInt8]
    var index = 0

    mutating func int32() throws(PostgresError) -> Int32 {
        guard bytes.count - index >= 4 else { throw .protocolViolation("a message ends inside an Int32") }
        defer { index += 4 }
        return Int32(bitPattern: UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3]))
    }

    mutating func int16() throws(PostgresError) -> Int16 {
        guard bytes.count - index >= 2 else { throw .protocolViolation("a message ends inside an Int16") }
        defer { index += 2 }
        return Int16(bitPattern: UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
    }

    mutating func cString() throws(PostgresError) -> String {
        guard let end = bytes[index...].firstIndex(of: 0) else { throw .protocolViolation("a string without its NUL") }
        defer { index = end + 1 }
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }

    mutating func bytes(_ count: Int) throws(PostgresError) -> [UInt8] {
        guard count >= 0, bytes.count - index >= count else { throw .protocolViolation("a message ends inside a value") }
        defer { index += count }
        return Array(bytes[index..<(index + count)])
    }

    var rest: [UInt8] { Array(bytes[index...]) }
}
