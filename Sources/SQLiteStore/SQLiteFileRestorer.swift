import CSQLite
import Glibc

/// Puts a database file back at its path from a connection that still has it open, after the
/// file or its folder was removed or renamed while the store ran (`rm -rf data/`, a
/// `git clean -fdx`). SQLite goes on writing to an unlinked file without a word, so every visit
/// acknowledged after the removal would be gone at the next start; the writer calls this before
/// a commit when its file has moved.
///
/// The copy is made beside the path (`VACUUM INTO`, a consistent snapshot), synced, and linked
/// into place only if nothing has appeared there meanwhile: a file or a lock at the path that is
/// not this store's belongs to someone else (another `swiftlet serve` started since) and is never
/// written over.
enum SQLiteFileRestorer {
    /// Why the file could not be put back; each says what is in the way.
    enum Failure: Error, CustomStringConvertible {
        case folder(SQLiteStoreError)
        /// Another store holds the lock file at the path now.
        case lockTaken(String)
        /// Another file is at the path now.
        case pathTaken(String)
        case copy(SQLiteError)
        case system(call: String, path: String, errno: Int32)

        var description: String {
            switch self {
            case .folder(let error): "\(error)"
            case .lockTaken(let path): "another store holds \(path) now"
            case .pathTaken(let path): "another file is at \(path) now, and is left alone"
            case .copy(let error): "copying the open file failed: \(error)"
            case .system(let call, let path, let code): "\(call) \(path): \(String(cString: strerror(code)))"
            }
        }
    }

    /// Copies `database`, which has moved, to `path`. Returns the claim on `<path>.lock` to keep:
    /// `ownership` when its lock file is still at the path, else a new one.
    static func restore(_ database: SQLiteDatabase, to path: String, ownership: FileOwnership) throws(Failure) -> FileOwnership {
        do { try ParentFolder.create(for: path) } catch { throw .folder(error) }
        let lockPath = path + ".lock"
        var claim = ownership
        if !ownership.holds(lockPath) {
            guard let fresh = FileOwnership(lockPath: lockPath) else {
                let code = errno // EWOULDBLOCK from flock: held; anything else from open
                throw code == EWOULDBLOCK ? .lockTaken(lockPath) : .system(call: "open", path: lockPath, errno: code)
            }
            claim = fresh
        }
        if access(path, F_OK) == 0 { throw .pathTaken(path) }

        let copy = path + ".restoring"
        unlink(copy) // a copy left by a process that died making it
        do {
            let vacuum = try database.prepare("VACUUM INTO ?1")
            try vacuum.bind(copy, at: 1)
            try vacuum.run()
        } catch {
            unlink(copy)
            throw .copy(error)
        }
        defer { unlink(copy) }
        try sync(copy, call: "fsync")
        // A WAL or index left at the path belongs to the file that was there; replayed onto the
        // copy it would damage it. Our connections hold theirs open and keep them on close.
        unlink(path + "-wal")
        unlink(path + "-shm")
        guard link(copy, path) == 0 else {
            let code = errno
            throw code == EEXIST ? .pathTaken(path) : .system(call: "link", path: path, errno: code)
        }
        let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
        do {
            try sync(slash.map { String(path[..<$0]) }.flatMap { $0.isEmpty ? "/" : $0 } ?? ".", call: "fsync folder")
        } catch {
            unlink(path) // ours, just linked: left there, the next try would take it for another file
            throw error
        }
        return claim
    }

    /// `fsync`s `path` (a file or a folder), so the copy and its name survive a power loss.
    private static func sync(_ path: String, call: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(call: call, path: path, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .system(call: call, path: path, errno: errno) }
    }
}
