import TestSupport
import Glibc
import Synchronization

/// Runs a blocking call (such as `HTTPServer.shutdown`) on a thread of its own, off Swift's pool.
final class StopThread {
    private var thread = pthread_t()
    private final class Box { let body: () -> Void; init(_ body: @escaping () -> Void) { self.body = body } }

    init(_ body: @escaping @Sendable () -> Void) throws {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        guard pthread_create(&thread, nil, { argument in
            Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
            return nil
        }, box) == 0 else { throw StopThreadError() }
    }

    func join() { pthread_join(thread, nil) }

    struct StopThreadError: Error {}
}

final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .releasing) }
    var isSet: Bool { flag.load(ordering: .acquiring) }
}
