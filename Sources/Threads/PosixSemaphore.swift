import Glibc

/// A POSIX semaphore: one thread waits (blocked, not spinning) until another posts. For a
/// thread that must wait on work handed to an event loop, such as the server's start.
package final class PosixSemaphore: @unchecked Sendable { // sem_post and sem_wait may be called from any thread
    private let semaphore: UnsafeMutablePointer<sem_t>

    package init(value: UInt32 = 0) {
        semaphore = .allocate(capacity: 1)
        sem_init(semaphore, 0, value)
    }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }

    package func post() {
        sem_post(semaphore)
    }

    /// Waits until a post, however long (a signal does not end the wait).
    package func wait() {
        while sem_wait(semaphore) != 0 && errno == EINTR {}
    }
}
