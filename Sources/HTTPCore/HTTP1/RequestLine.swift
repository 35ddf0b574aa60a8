import HTTPTypes

/// The request line: `method SP request-target SP HTTP-version` with single spaces (RFC 9112 §3).
struct RequestLine {
    var method: HTTPRequest.Method
    var scheme: String?
    var authority: String?
    var path: String
    var minorVersion: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws(HTTP1ParseError) {
        let space = UInt8(ascii: " ")
        var firstSpace = range.lowerBound
        while firstSpace < range.upperBound && bytes[firstSpace] != space {
            guard HTTPSyntax.isTokenByte(bytes[firstSpace]) else { throw .malformedRequestLine }
            firstSpace += 1
        }
        guard firstSpace > range.lowerBound, firstSpace < range.upperBound else { throw .malformedRequestLine }
        var secondSpace = firstSpace + 1
        while secondSpace < range.upperBound && bytes[secondSpace] != space {
            let byte = bytes[secondSpace]
            guard byte > 0x20 && byte < 0x7F else { throw .malformedRequestLine }
            secondSpace += 1
        }
        guard secondSpace > firstSpace + 1, secondSpace < range.upperBound else { throw .malformedRequestLine }

        let version = UnsafeBufferPointer(rebasing: bytes[(secondSpace + 1)..<range.upperBound])
        guard version.count == 8, version[0] == UInt8(ascii: "H"), version[1] == UInt8(ascii: "T"),
              version[2] == UInt8(ascii: "T"), version[3] == UInt8(ascii: "P"), version[4] == UInt8(ascii: "/"),
              version[6] == UInt8(ascii: "."),
              let major = Self.digit(version[5]), let minor = Self.digit(version[7]) else {
            throw .malformedRequestLine
        }
        guard major == 1 else { throw .unsupportedVersion }
        minorVersion = minor

        let methodBytes = UnsafeBufferPointer(rebasing: bytes[range.lowerBound..<firstSpace])
        if let common = Self.commonMethod(methodBytes) {
            method = common
        } else {
            guard let parsed = HTTPRequest.Method(String(decoding: methodBytes, as: UTF8.self)) else { throw .malformedRequestLine }
            method = parsed
        }

        let targetBytes = UnsafeBufferPointer(rebasing: bytes[(firstSpace + 1)..<secondSpace])
        let target = String(decoding: targetBytes, as: UTF8.self)
        if targetBytes.first == UInt8(ascii: "/") {
            // RFC 9112 §3.2.1: origin-form only; a fragment or a byte a URI cannot hold is refused.
            guard HTTPSyntax.isOriginFormTarget(targetBytes) else { throw .invalidTarget }
            path = target
        } else if target == "*" && method == .options {
            path = "*"
        } else if let (targetScheme, rest) = Self.splitAbsoluteForm(target) {
            // absolute-form (RFC 9112 §3.2.2): its authority replaces Host.
            scheme = targetScheme
            let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            guard slash > rest.startIndex else { throw .malformedRequestLine }
            authority = String(rest[..<slash])
            let remainder = rest[slash...]
            var check = Array(remainder.utf8)
            guard HTTPSyntax.isValidHost(authority!), check.withUnsafeBufferPointer({ HTTPSyntax.isTargetRest($0) }) else { throw .invalidTarget }
            check.removeAll()
            path = remainder.isEmpty ? "/" : (remainder.hasPrefix("?") ? "/" + remainder : String(remainder))
        } else {
            throw .malformedRequestLine
        }
    }

    /// `http://host/path` → (`http`, `host/path`); `nil` for anything else.
    private static func splitAbsoluteForm(_ target: String) -> (String, Substring)? {
        for scheme in ["http", "https"] {
            let prefix = scheme + "://"
            if target.count > prefix.count, target.lowercased().hasPrefix(prefix) {
                return (scheme, target.dropFirst(prefix.count))
            }
        }
        return nil
    }

    /// GET, HEAD and POST without making a string (methods are case-sensitive, RFC 9110 §9.1).
    private static func commonMethod(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPRequest.Method? {
        switch bytes.count {
        case 3 where bytes[0] == UInt8(ascii: "G") && bytes[1] == UInt8(ascii: "E") && bytes[2] == UInt8(ascii: "T"):
            .get
        case 4 where bytes[0] == UInt8(ascii: "H") && bytes[1] == UInt8(ascii: "E") && bytes[2] == UInt8(ascii: "A") && bytes[3] == UInt8(ascii: "D"):
            .head
        case 4 where bytes[0] == UInt8(ascii: "P") && bytes[1] == UInt8(ascii: "O") && bytes[2] == UInt8(ascii: "S") && bytes[3] == UInt8(ascii: "T"):
            .post
        default:
            nil
        }
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
