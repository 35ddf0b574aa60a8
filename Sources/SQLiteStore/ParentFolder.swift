import Glibc

/// The folder a database file lives in, made when missing (`mkdir -p`): at start, and again when
/// it was removed while the store ran.
enum ParentFolder {
    /// Makes every missing folder on the way to `path`'s; throws naming the first that cannot be
    /// made, or that is in the way as something other than a folder.
    static func create(for path: String) throws(SQLiteStoreError) {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return }
        let folder = String(path[..<slash])
        guard !folder.isEmpty else { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in folder.split(separator: "/") {
            prefix += prefix.isEmpty || prefix.hasSuffix("/") ? String(part) : "/" + part
            guard mkdir(prefix, 0o755) != 0 else { continue }
            let code = errno
            guard code == EEXIST else { throw .cannotCreateFolder(path: prefix, errno: code) }
            var status = stat()
            if stat(prefix, &status) == 0 && (status.st_mode & S_IFMT) != S_IFDIR {
                throw .cannotCreateFolder(path: prefix, errno: ENOTDIR)
            }
        }
    }
}
