/// What a descriptor is watched for.
package struct IOInterest: OptionSet, Sendable {
    package let rawValue: UInt8
    package init(rawValue: UInt8) { self.rawValue = rawValue }
    package static let read = IOInterest(rawValue: 1)
    package static let write = IOInterest(rawValue: 2)
    /// Report readiness once per change (epoll's `EPOLLET`) instead of for as long as it lasts. A
    /// handler then reads until the kernel has no more, and can stay registered for reading and
    /// writing for life with no further `epoll_ctl`.
    package static let edgeTriggered = IOInterest(rawValue: 4)
}

/// What a descriptor became ready for.
package struct IOEvents: OptionSet, Sendable {
    package let rawValue: UInt8
    package init(rawValue: UInt8) { self.rawValue = rawValue }
    package static let readable = IOEvents(rawValue: 1)
    package static let writable = IOEvents(rawValue: 2)
    /// The peer hung up or the socket has an error: reading tells which.
    package static let hangup = IOEvents(rawValue: 4)
}

/// One readiness report: the token the descriptor was registered with, and what it is ready for.
package struct IOEvent: Sendable {
    package var token: UInt64
    package var events: IOEvents
}

/// A kernel readiness queue. The event loop is written against this protocol so that the mechanism
/// (epoll here, kqueue or io_uring later) lives in one file of its own.
///
/// Readiness is level-triggered unless a registration asks for `.edgeTriggered`. The server registers
/// its listening socket level-triggered (it accepts a bounded batch per wake-up) and connections
/// edge-triggered for reading and writing at once, as nginx does: no `epoll_ctl` per request, and no
/// re-polling of descriptors that were ready a moment ago.
package protocol EventQueue: ~Copyable {
    /// Starts watching `fd` for `interest`, reporting it with `token`.
    func register(_ fd: Int32, interest: IOInterest, token: UInt64) throws(SocketError)
    /// Changes what `fd` is watched for.
    func modify(_ fd: Int32, interest: IOInterest, token: UInt64) throws(SocketError)
    /// Stops watching `fd`.
    func deregister(_ fd: Int32)
    /// Waits at most `timeoutMilliseconds` (-1: no limit) and calls `body` for each ready descriptor.
    func wait(timeoutMilliseconds: Int32, _ body: (IOEvent) -> Void) throws(SocketError)
}
