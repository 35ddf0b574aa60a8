import Glibc

/// One descriptor held in reserve (on `/dev/null`) for the moment the process has no others: a
/// server out of descriptors cannot `accept`, so new clients wait in the backlog with no answer.
/// Giving the spare up lets one `accept` succeed, so that client can be told and closed; then
/// the spare is taken back. (The technique libuv uses against `EMFILE`.)
package final class SpareDescriptor {
    private var fd: Int32

    package init() {
        fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Runs `body` with the spare given up; `false` (and `body` not run) when there was none.
    package func whileReleased(_ body: () -> Void) -> Bool {
        guard fd >= 0 else { fd = open("/dev/null", O_RDONLY | O_CLOEXEC); return false }
        close(fd)
        body()
        fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
        return true
    }
}

extension SocketError {
    /// `true` when the process (`EMFILE`) or the system (`ENFILE`) has no descriptor left.
    package var isOutOfDescriptors: Bool { errno == EMFILE || errno == ENFILE }
}
