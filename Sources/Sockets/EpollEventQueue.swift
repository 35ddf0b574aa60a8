import CLinux
import Glibc

/// `EventQueue` on Linux epoll.
package final class EpollEventQueue: EventQueue {
    private let epollFD: Int32
    private let events: UnsafeMutableRawPointer
    private let capacity: Int32

    package init(capacity: Int32 = 256) throws(SocketError) {
        let fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw .last("epoll_create1") }
        guard let buffer = clinux_epoll_events_alloc(capacity) else {
            Glibc.close(fd)
            throw SocketError(call: "calloc", errno: ENOMEM)
        }
        self.epollFD = fd
        self.events = buffer
        self.capacity = capacity
    }

    deinit {
        free(events)
        Glibc.close(epollFD)
    }

    private static func mask(_ interest: IOInterest) -> UInt32 {
        var mask: UInt32 = 0
        if interest.contains(.read) { mask |= UInt32(EPOLLIN.rawValue) | UInt32(EPOLLRDHUP.rawValue) }
        if interest.contains(.write) { mask |= UInt32(EPOLLOUT.rawValue) }
        if interest.contains(.edgeTriggered) { mask |= EPOLLET.rawValue }
        return mask
    }

    package func register(_ fd: Int32, interest: IOInterest, token: UInt64) throws(SocketError) {
        guard clinux_epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, Self.mask(interest), token) == 0 else {
            throw .last("epoll_ctl(ADD)")
        }
    }

    package func modify(_ fd: Int32, interest: IOInterest, token: UInt64) throws(SocketError) {
        guard clinux_epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, Self.mask(interest), token) == 0 else {
            throw .last("epoll_ctl(MOD)")
        }
    }

    package func deregister(_ fd: Int32) {
        _ = clinux_epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, 0, 0)
    }

    package func wait(timeoutMilliseconds: Int32, _ body: (IOEvent) -> Void) throws(SocketError) {
        let count = epoll_wait(epollFD, events.assumingMemoryBound(to: epoll_event.self), capacity, timeoutMilliseconds)
        if count < 0 {
            if clinux_errno() == EINTR { return }
            throw .last("epoll_wait")
        }
        for index in 0..<count {
            let flags = clinux_epoll_event_flags(events, index)
            var ready: IOEvents = []
            if flags & UInt32(EPOLLIN.rawValue) != 0 { ready.insert(.readable) }
            if flags & UInt32(EPOLLOUT.rawValue) != 0 { ready.insert(.writable) }
            if flags & (UInt32(EPOLLHUP.rawValue) | UInt32(EPOLLERR.rawValue) | UInt32(EPOLLRDHUP.rawValue)) != 0 {
                ready.insert(.hangup)
            }
            body(IOEvent(token: clinux_epoll_event_data(events, index), events: ready))
        }
    }
}
