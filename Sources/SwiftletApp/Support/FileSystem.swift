import Glibc

/// The few file operations the app needs at start, on POSIX calls (no Foundation).
enum FileSystem {
    /// A file's size and modification time, `nil` when it does not exist.
    struct Status: Equatable {
        var isDirectory: Bool
        var isRegular: Bool
        var size: Int
        var modified: Int
    }

    static func status(_ path: String) -> Status? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let type = info.st_mode & S_IFMT
        return Status(isDirectory: type == S_IFDIR, isRegular: type == S_IFREG, size: Int(info.st_size),
                      modified: Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec))
    }

    /// Every regular file under `root`, as paths relative to it, sorted; names starting with `.` skipped.
    /// Symbolic links are followed only when they resolve inside `root`.
    static func files(under root: String) throws(AppError) -> [String] {
        guard let realRoot = realPath(root) else { throw .folderMissing(root) }
        var found: [String] = []
        func walk(_ relative: String) throws(AppError) {
            let folder = relative.isEmpty ? root : "\(root)/\(relative)"
            for name in try names(in: folder).filter({ !$0.hasPrefix(".") }).sorted() {
                let child = relative.isEmpty ? name : "\(relative)/\(name)"
                let full = "\(root)/\(child)"
                guard let real = realPath(full), real == realRoot || real.hasPrefix(realRoot + "/") else { continue }
                guard let info = status(full) else { continue }
                if info.isDirectory { try walk(child) } else if info.isRegular { found.append(child) }
            }
        }
        try walk("")
        return found
    }

    /// The names in `folder`, `.` and `..` included, in the order the file system gives them.
    static func names(in folder: String) throws(AppError) -> [String] {
        guard let directory = opendir(folder) else { throw .unreadable(folder, errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            // Read up to the NUL only: a record is as long as its name (`d_reclen`), not the 256
            // bytes `d_name`'s type says, so copying the whole field reads past the record (and,
            // for the last one, past the buffer: AddressSanitizer caught a copy of this in a test).
            names.append(withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            })
        }
        return names
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The whole file; for templates and small assets, read once at start.
    static func read(_ path: String) throws(AppError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path, errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw .unreadable(path, errno) }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// Writes `bytes` to `path`, creating or replacing it.
    static func write(_ bytes: [UInt8], to path: String) throws(AppError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .unwritable(path, errno) }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 { if errno == EINTR { continue }; throw .unwritable(path, errno) }
            done += n
        }
    }

    /// `mkdir -p`.
    static func createFolder(_ path: String) throws(AppError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += prefix.isEmpty || prefix.hasSuffix("/") ? String(part) : "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw .unwritable(prefix, errno) }
        }
    }
}
