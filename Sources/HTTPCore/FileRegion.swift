import Glibc

/// A file opened once and shared by every response that sends part of it. Positional reads and
/// `sendfile` with an explicit offset never move a shared file position, so sharing is safe.
public final class OpenFile: Sendable {
    /// The descriptor, closed when the last response using it is gone.
    public let fd: Int32
    /// The file's size when it was opened.
    public let size: Int

    /// Opens `path` read-only; `nil` when it cannot be opened or is not a regular file.
    public init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        self.fd = fd
        self.size = Int(info.st_size)
    }

    deinit {
        close(fd)
    }

    /// Reads `count` bytes from `offset` (for front-ends that cannot `sendfile`, like Lambda's).
    public func read(offset: Int, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if n <= 0 { return nil }
            done += n
        }
        return bytes
    }
}

/// Part of an `OpenFile` to send as a body.
public struct FileRegion: Sendable {
    public let file: OpenFile
    public let offset: Int
    public let count: Int

    public init(file: OpenFile, offset: Int = 0, count: Int? = nil) {
        self.file = file
        self.offset = offset
        self.count = count ?? (file.size - offset)
    }
}
