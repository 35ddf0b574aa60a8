import TestSupport
import Glibc
import Synchronization

/// Holds a responder until a test opens it, and tells the test when a request has arrived, so a test
/// can stop a server with a request in flight without sleeping.
final class Gate: Sendable {
    private let state = Mutex<(arrived: Int, open: Bool, waiters: [CheckedContinuation<Void, Never>])>((0, false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                state.arrived += 1
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    var arrived: Int { state.withLock { $0.arrived } }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// Polls `condition` until it holds or `timeout` passes; for state that has no event to wait on.
func eventually(timeout: Duration = .seconds(3), _ condition: () -> Bool) -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while clock.now < deadline {
        if condition() { return true }
        Thread.yieldBriefly()
    }
    return condition()
}

enum Thread {
    static func yieldBriefly() {
        var request = timespec(tv_sec: 0, tv_nsec: 1_000_000)
        _ = nanosleep(&request, nil)
    }
}
