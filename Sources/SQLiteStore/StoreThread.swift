import Glibc

/// A POSIX thread for the store's background work (the writer, the checkpointer). The store keeps
/// no dependency on `Sockets`, whose threads belong to event loops.
final class StoreThread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    private var thread = pthread_t()

    /// Starts running `body`; it holds what it captures until it returns.
    init(_ body: @escaping () -> Void) {
        let box = Unmanaged.passRetained(Body(body))
        pthread_create(&thread, nil, { raw in
            Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, box.toOpaque())
    }

    /// Waits for `body` to return.
    func join() {
        pthread_join(thread, nil)
    }
}
