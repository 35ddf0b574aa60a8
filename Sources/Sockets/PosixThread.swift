import CLinux
import Glibc

/// A plain POSIX thread running one closure: the event loops own their threads outright instead of
/// borrowing from Swift's cooperative pool, which must never be blocked in `epoll_wait`.
public final class PosixThread: @unchecked Sendable {
    private var handle = pthread_t()
    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    public init(name: String, _ body: @escaping @Sendable () -> Void) throws(SocketError) {
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
            throw SocketError(call: "pthread_create", errno: status)
        }
    }

    /// Waits for the thread to finish.
    public func join() {
        _ = pthread_join(handle, nil)
    }
}
