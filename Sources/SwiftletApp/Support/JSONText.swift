import JSON

/// The JSON the API writes: a handful of shapes, written directly (no Foundation encoder).
enum JSONText {
    /// A JSON string literal with RFC 8259 §7 escapes.
    static func string(_ text: String) -> String {
        var out: [UInt8] = []
        appendString(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `string(text)` written straight into bytes, by the JSON target's one escaper.
    @inline(__always)
    static func appendString(_ text: String, to out: inout [UInt8]) {
        JSONWriter.appendString(text, to: &out)
    }

    /// `{"visits":N,"regions":{"a":n,...}}`, written straight into bytes (the API's hot path).
    static func visits(total: Int, regions: [(region: String, count: Int)]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32 + regions.count * 24)
        out.append(contentsOf: #"{"visits":"#.utf8)
        appendNumber(total, to: &out)
        out.append(contentsOf: #","regions":{"#.utf8)
        for (index, entry) in regions.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(entry.region, to: &out)
            out.append(UInt8(ascii: ":"))
            appendNumber(entry.count, to: &out)
        }
        out.append(contentsOf: "}}".utf8)
        return out
    }

    static func appendNumber(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(20 - count)...]).assumingMemoryBound(to: UInt8.self))
        }
    }

    /// An object from key/value pairs whose values are JSON already, in the order given.
    static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}
