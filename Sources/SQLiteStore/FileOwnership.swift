import Glibc

/// An exclusive advisory lock on a file beside the database, taken without blocking (a lock still
/// held after 100 ms is another store's): whoever holds
/// it is the only `SQLiteVisitStore` writing the database, in this process or any other. Released
/// when the store goes away or the process dies (`kill -9` included), since the kernel drops it
/// with the descriptor.
final class FileOwnership: Sendable {
    private let fd: Int32

    /// `nil` when another store holds the lock, or the lock file cannot be made.
    init?(lockPath: String) {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        var tries = 0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            // A child this process is starting holds a copy of every descriptor until it execs
            // (only then do close-on-exec descriptors go), and with it a lock a store here has just
            // released: that passes within milliseconds, another store's lock does not.
            guard errno == EWOULDBLOCK, tries < Self.transientTries else {
                close(fd)
                return nil
            }
            tries += 1
            usleep(1_000)
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

    /// How many milliseconds a held lock is waited for before the file counts as in use.
    static let transientTries = 100

    deinit {
        close(fd)
    }
}
