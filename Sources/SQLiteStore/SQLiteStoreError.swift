import Glibc

/// Why the SQLite store could not start; each says which path to fix.
package enum SQLiteStoreError: Error, CustomStringConvertible {
    /// The folder for the file could not be made (a file in the way, no permission).
    case cannotCreateFolder(path: String, errno: Int32)
    /// The file could not be opened as a writable, healthy database.
    case cannotOpen(path: String, SQLiteError)
    /// Another store (another `swiftlet serve`, say) has the file open.
    case inUse(path: String)
    /// The store's writer or checkpointer thread could not be started.
    case cannotStartThread(path: String, errno: Int32)

    package var description: String {
        switch self {
        case .cannotCreateFolder(let path, let code):
            "cannot create the folder \(path) for the SQLite database: \(String(cString: strerror(code)))"
        case .cannotStartThread(let path, let code):
            "cannot start the SQLite store's threads for \(path): \(String(cString: strerror(code)))"
        case .inUse(let path):
            "the SQLite database \(path) is in use by another swiftlet process; stop it or choose another file with --sqlite-path"
        case .cannotOpen(let path, let error) where error.isCorruption:
            "the SQLite database \(path) is not a database or is damaged (\(error)); move it away to start afresh"
        case .cannotOpen(let path, let error):
            "cannot open the SQLite database \(path): \(error)"
        }
    }
}
