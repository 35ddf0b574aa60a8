package import HTTPCore

/// One file of `Public/` as it is served: its hashed URL path, headers, and bytes (identity and,
/// when it is smaller, gzip), computed once at start. Files too large to keep in memory are sent
/// from an open descriptor instead.
package struct Asset: Sendable {
    /// The path under `Public/` (`app.css`, `img/logo.svg`).
    package let logicalName: String
    /// The URL path with the content hash (`/assets/app.3f2a9c1b0d4e5f67.css`).
    package let hashedPath: String
    /// The first 16 hex digits of the SHA-256 of the contents.
    package let hash: String
    package let contentType: String
    package let size: Int
    /// The identity bytes, or `nil` for a large file sent with `sendfile` from `file`.
    package let bytes: [UInt8]?
    package let file: OpenFile?
    /// gzip of the contents, only when it is smaller.
    package let gzip: [UInt8]?

    /// The strong validator of the identity bytes; the gzip form has its own (RFC 9110 §8.8.3).
    package var etag: String { "\"\(hash)\"" }
    package var gzipETag: String { "\"\(hash)-gz\"" }

    /// The body of the identity representation.
    var identityBody: ResponseBody {
        if let bytes { return .bytes(bytes) }
        if let file { return .file(FileRegion(file: file)) }
        return .empty
    }

    /// `app.css` with hash `abc` becomes `app.abc.css`; `LICENSE` becomes `LICENSE.abc`.
    static func hashedName(_ name: String, hash: String) -> String {
        let slash = name.lastIndex(of: "/")
        let base = slash.map { name[name.index(after: $0)...] } ?? name[...]
        let folder = slash.map { String(name[...$0]) } ?? ""
        if let dot = base.lastIndex(of: "."), dot != base.startIndex {
            return folder + base[..<dot] + "." + hash + base[dot...]
        }
        return folder + base + "." + hash
    }
}
