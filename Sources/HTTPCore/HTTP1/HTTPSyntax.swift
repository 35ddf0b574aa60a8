import HTTPTypes

/// Character classes of RFC 9110 §5.6 as lookup tables, and recognition of the fields that frame a
/// message, compared case-insensitively on bytes before any string is made.
enum HTTPSyntax {
    enum KnownField {
        case host, contentLength, transferEncoding, connection, expect, other
    }

    /// A lookup table of ASCII letters, digits and the bytes of `others`.
    private static func table(lettersDigitsAnd others: String) -> [Bool] {
        let extra = Array(others.utf8)
        return (0..<256).map { value in
            let byte = UInt8(value)
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
            default: return extra.contains(byte)
            }
        }
    }

    private static let tokenTable = table(lettersDigitsAnd: "!#$%&'*+-.^_`|~")

    /// pchar, "/" and "?" (RFC 3986 §3.3, §3.4): the bytes of an origin-form target (RFC 9112
    /// §3.2.1) besides `%`, which must start a pct-encoded triplet. No `#`: a fragment is never sent.
    private static let targetTable = table(lettersDigitsAnd: "-._~!$&'()*+,;=:@/?")

    /// reg-name's bytes besides `%` (RFC 3986 §3.2.2): unreserved and sub-delims.
    private static let hostTable = table(lettersDigitsAnd: "-._~!$&'()*+,;=")

    /// Whether `bytes` is an origin-form target: `/`, then pchars, `/`, `?` and valid `%XX`.
    static func isOriginFormTarget(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.first == UInt8(ascii: "/") else { return false }
        return isTargetRest(bytes)
    }

    /// The bytes after an absolute-form authority: the same set.
    static func isTargetRest(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        allPctEncodedOr(targetTable, bytes)
    }

    /// Every byte in `table`, or `%` starting a `%XX` escape (RFC 3986 §2.1).
    private static func allPctEncodedOr(_ table: [Bool], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, PercentDecoding.hexValue(bytes[index + 1]) != nil, PercentDecoding.hexValue(bytes[index + 2]) != nil else {
                    return false
                }
                index += 3
                continue
            }
            guard table[Int(byte)] else { return false }
            index += 1
        }
        return true
    }

    /// `uri-host [":" port]` (RFC 9112 §3.2, RFC 3986 §3.2.2): an IP literal in brackets, or a
    /// reg-name (which may be empty) without empty labels, then digits after a colon.
    static func isValidHost(_ host: String) -> Bool {
        var host = host
        return host.withUTF8 { isValidHost($0) }
    }

    /// The same on bytes. (On `String` with `Character` searches it cost some 10,000 instructions
    /// a request, a fifth of answering `/health`.)
    static func isValidHost(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")), close > 1 else { return false }
            guard bytes[1..<close].allSatisfy(isHexDigitOrColonOrDot) else { return false }
            return close + 1 == bytes.count || isPort(UnsafeBufferPointer(rebasing: bytes[(close + 1)...]))
        }
        var end = bytes.count
        if let colon = bytes.lastIndex(of: UInt8(ascii: ":")) {
            guard isPort(UnsafeBufferPointer(rebasing: bytes[colon...])) else { return false }
            end = colon
        }
        let name = UnsafeBufferPointer(rebasing: bytes[..<end])
        var previous: UInt8 = 0
        for byte in name {
            if byte == UInt8(ascii: "."), previous == byte { return false } // an empty label
            previous = byte
        }
        return allPctEncodedOr(hostTable, name)
    }

    /// `:` then digits (RFC 3986 §3.2.3 allows none), at most five.
    private static func isPort(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        text.first == UInt8(ascii: ":") && text.count <= 6
            && text.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    private static func isHexDigitOrColonOrDot(_ byte: UInt8) -> Bool {
        PercentDecoding.hexValue(byte) != nil || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
    }

    /// tchar: the characters of a method or field name.
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        tokenTable[Int(byte)]
    }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// field-vchar, SP or HTAB; NUL, other controls and DEL are refused (RFC 9110 §5.5).
    @inline(__always)
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte >= 0x20 ? byte != 0x7F : byte == UInt8(ascii: "\t")
    }

    /// What a field name means to the parser (`known`) and, for the names browsers and tools send
    /// most, HTTPTypes' constant for it (`common`): making a name from bytes validates and
    /// lowercases it into a new string, a constant costs nothing. Compared case-insensitively on
    /// bytes, in one switch. `Host` has no constant: it becomes the request's authority.
    static func classify(_ name: UnsafeBufferPointer<UInt8>) -> (known: KnownField, common: HTTPField.Name?) {
        switch name.count {
        case 2 where equalsLowercase(name, "te"): (.other, .te)
        case 4 where equalsLowercase(name, "host"): (.host, nil)
        case 5 where equalsLowercase(name, "range"): (.other, .range)
        case 6 where equalsLowercase(name, "accept"): (.other, .accept)
        case 6 where equalsLowercase(name, "cookie"): (.other, .cookie)
        case 6 where equalsLowercase(name, "origin"): (.other, .origin)
        case 6 where equalsLowercase(name, "expect"): (.expect, .expect)
        case 7 where equalsLowercase(name, "referer"): (.other, .referer)
        case 7 where equalsLowercase(name, "upgrade"): (.other, .upgrade)
        case 8 where equalsLowercase(name, "if-match"): (.other, .ifMatch)
        case 10 where equalsLowercase(name, "user-agent"): (.other, .userAgent)
        case 10 where equalsLowercase(name, "connection"): (.connection, .connection)
        case 12 where equalsLowercase(name, "content-type"): (.other, .contentType)
        case 13 where equalsLowercase(name, "authorization"): (.other, .authorization)
        case 13 where equalsLowercase(name, "cache-control"): (.other, .cacheControl)
        case 13 where equalsLowercase(name, "if-none-match"): (.other, .ifNoneMatch)
        case 14 where equalsLowercase(name, "content-length"): (.contentLength, .contentLength)
        case 15 where equalsLowercase(name, "accept-encoding"): (.other, .acceptEncoding)
        case 15 where equalsLowercase(name, "accept-language"): (.other, .acceptLanguage)
        case 17 where equalsLowercase(name, "if-modified-since"): (.other, .ifModifiedSince)
        case 17 where equalsLowercase(name, "transfer-encoding"): (.transferEncoding, .transferEncoding)
        default: (.other, nil)
        }
    }

    private static func equalsLowercase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for index in 0..<bytes.count {
            var byte = bytes[index]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            if byte != expected[index] { return false }
        }
        return true
    }
}
