import CLinux
import Glibc
import Synchronization

/// A plain POSIX thread running one closure: the one way Swiftlet makes a thread. The event loops
/// own their threads outright instead of borrowing from Swift's cooperative pool, which must never
/// be blocked in `epoll_wait`; the SQLite writer and checkpointer, DynamoDB's workers, Lambda's
/// slots and signal waiter, and the tests' blocking clients use it too.
///
/// `body` is `sending`: it is handed to the new thread and used nowhere else, so it may hold state
/// that is not `Sendable` (the SQLite writer's connection).
package final class PosixThread: @unchecked Sendable { // the handle is written once, before any other use
    private var handle = pthread_t()
    /// `pthread_join` may be called once; a second `join()` returns at once.
    private let joined = Atomic<Bool>(false)
    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Why a thread could not be started (`pthread_create`'s error: out of memory or of threads).
    package struct StartError: Error, CustomStringConvertible {
        package let errno: Int32
        package var description: String { "cannot start a thread: \(String(cString: strerror(errno)))" }
    }

    package init(name: String, _ body: sending @escaping () -> Void) throws(StartError) {
        let threadName = String(name.prefix(15))
        let box = Unmanaged.passRetained(Box {
            clinux_set_thread_name(threadName)
            body()
        }).toOpaque()
        let status = pthread_create(&handle, nil, { argument in
            let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw StartError(errno: status)
        }
    }

    /// Waits for the thread to finish (once: later calls return at once).
    package func join() {
        guard !joined.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = pthread_join(handle, nil)
    }
}
