import Glibc

/// Why the SQLite store could not start; each says which path to fix.
public enum SQLiteStoreError: Error, CustomStringConvertible {
    /// The folder for the file could not be made (a file in the way, no permission).
    case cannotCreateFolder(path: String, errno: Int32)
    /// The file could not be opened as a writable, healthy database.
    case cannotOpen(path: String, SQLiteError)

    public var description: String {
        switch self {
        case .cannotCreateFolder(let path, let code):
            "cannot create the folder \(path) for the SQLite database: \(String(cString: strerror(code)))"
        case .cannotOpen(let path, let error) where error.isCorruption:
            "the SQLite database \(path) is not a database or is damaged (\(error)); move it away to start afresh"
        case .cannotOpen(let path, let error):
            "cannot open the SQLite database \(path): \(error)"
        }
    }
}
