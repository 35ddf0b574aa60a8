import Glibc

/// An exclusive advisory lock on a file beside the database, taken without waiting: whoever holds
/// it is the only `SQLiteVisitStore` writing the database, in this process or any other. Released
/// when the store goes away or the process dies (`kill -9` included), since the kernel drops it
/// with the descriptor.
final class FileOwnership: Sendable {
    private let fd: Int32

    /// `nil` when another store holds the lock, or the lock file cannot be made.
    init?(lockPath: String) {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        self.fd = fd
    }

    /// Whether `lockPath` still names the file this claim holds: `false` once the lock file was
    /// removed or replaced, when a new claim must be taken on whatever is there now.
    func holds(_ lockPath: String) -> Bool {
        var held = stat()
        var named = stat()
        guard fstat(fd, &held) == 0, stat(lockPath, &named) == 0 else { return false }
        return held.st_dev == named.st_dev && held.st_ino == named.st_ino
    }

    deinit {
        close(fd)
    }
}
