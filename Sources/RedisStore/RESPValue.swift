/// One RESP2 reply ("Redis serialization protocol specification", redis.io/docs/reference/protocol-spec):
/// the five types a RESP2 server sends, plus RESP3's null, which some proxies send in its place.
package indirect enum RESPValue: Equatable, Sendable {
    /// `+OK`
    case simple(String)
    /// `-ERR message`: the error's first word is its kind (`MOVED`, `ASK`, `WRONGPASS`, `NOAUTH`, `OOM`).
    case error(String)
    /// `:42`
    case integer(Int)
    /// `$3\r\nfoo`
    case bulk([UInt8])
    /// `$-1`, `*-1`, RESP3 `_`
    case null
    /// `*2\r\n...`
    case array([RESPValue])

    /// The text of a bulk or simple string.
    package var text: String? {
        switch self {
        case .bulk(let bytes): String(decoding: bytes, as: UTF8.self)
        case .simple(let text): text
        default: nil
        }
    }
}

/// Writes commands as RESP arrays of bulk strings, the form every command takes on the wire
/// ("Sending commands to a Redis server", protocol spec).
package enum RESPCommand {
    package static func append(_ arguments: [String], to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "*"))
        buffer.append(contentsOf: String(arguments.count).utf8)
        buffer.append(contentsOf: [13, 10])
        for argument in arguments {
            let bytes = argument.utf8
            buffer.append(UInt8(ascii: "$"))
            buffer.append(contentsOf: String(bytes.count).utf8)
            buffer.append(contentsOf: [13, 10])
            buffer.append(contentsOf: bytes)
            buffer.append(contentsOf: [13, 10])
        }
    }
}

/// A reply that is not RESP: the connection can no longer be trusted.
package struct RESPError: Error, Equatable, CustomStringConvertible {
    package let reason: String
    package var description: String { "not a RESP reply: \(reason)" }
}

/// Reads one reply from buffered bytes, or says it needs more, on a bounds-checked array (no
/// unsafe pointer: a parser bug traps, never reads past the buffer). Bounded: a bulk string of at most
/// `maxBulkBytes`, arrays of at most `maxElements`, nested at most `maxDepth` deep, lines of at
/// most `maxLineBytes`; anything else is a `RESPError`, never a crash or an unbounded allocation.
package struct RESPParser: Sendable {
    package var maxBulkBytes = 16 << 20
    package var maxElements = 1 << 20
    package var maxDepth = 8
    package var maxLineBytes = 64 << 10

    package init() {}

    /// The reply starting at `start`, and the index after it; `nil` when the bytes end first.
    package func parse(_ bytes: [UInt8], from start: Int) throws(RESPError) -> (RESPValue, end: Int)? {
        try value(bytes, start, depth: 0)
    }

    private func value(_ bytes: [UInt8], _ start: Int, depth: Int) throws(RESPError) -> (RESPValue, end: Int)? {
        guard start < bytes.count else { return nil }
        guard let (line, next) = try line(bytes, start + 1) else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "+"):
            return (.simple(String(decoding: line, as: UTF8.self)), next)
        case UInt8(ascii: "-"):
            return (.error(String(decoding: line, as: UTF8.self)), next)
        case UInt8(ascii: ":"):
            return (.integer(try integer(line)), next)
        case UInt8(ascii: "_"):
            guard line.isEmpty else { throw RESPError(reason: "a null with content") }
            return (.null, next)
        case UInt8(ascii: "$"):
            let length = try integer(line)
            if length == -1 { return (.null, next) }
            guard length >= 0, length <= maxBulkBytes else { throw RESPError(reason: "a bulk string of \(length) bytes") }
            guard bytes.count - next >= length + 2 else { return nil }
            guard bytes[next + length] == 13, bytes[next + length + 1] == 10 else { throw RESPError(reason: "a bulk string not ended by CRLF") }
            return (.bulk(Array(bytes[next..<(next + length)])), next + length + 2)
        case UInt8(ascii: "*"):
            let count = try integer(line)
            if count == -1 { return (.null, next) }
            guard count >= 0, count <= maxElements else { throw RESPError(reason: "an array of \(count) elements") }
            guard depth < maxDepth else { throw RESPError(reason: "arrays nested deeper than \(maxDepth)") }
            var elements: [RESPValue] = []
            elements.reserveCapacity(min(count, 1024))
            var position = next
            for _ in 0..<count {
                guard let (element, end) = try value(bytes, position, depth: depth + 1) else { return nil }
                elements.append(element)
                position = end
            }
            return (.array(elements), position)
        default:
            throw RESPError(reason: "type byte 0x\(String(bytes[start], radix: 16))")
        }
    }

    /// The bytes up to the next CRLF, and the index after it.
    private func line(_ bytes: [UInt8], _ start: Int) throws(RESPError) -> (ArraySlice<UInt8>, Int)? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 13 {
                guard bytes[index + 1] == 10 else { throw RESPError(reason: "a CR without LF") }
                return (bytes[start..<index], index + 2)
            }
            if index - start > maxLineBytes { throw RESPError(reason: "a line over \(maxLineBytes) bytes") }
            index += 1
        }
        if bytes.count - start > maxLineBytes { throw RESPError(reason: "a line over \(maxLineBytes) bytes") }
        return nil
    }

    private func integer(_ line: ArraySlice<UInt8>) throws(RESPError) -> Int {
        guard !line.isEmpty, line.count <= 20, let value = Int(String(decoding: line, as: UTF8.self)) else {
            throw RESPError(reason: "'\(String(decoding: line.prefix(24), as: UTF8.self))' is not an integer")
        }
        return value
    }
}
