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

    deinit {
        close(fd)
    }
}
