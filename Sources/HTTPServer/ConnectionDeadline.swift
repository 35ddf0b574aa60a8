import Sockets
import Timekeeping

/// When a connection must have made progress, by phase, as a pure value: the connection reports what
/// happened and the time, the loop's sweep asks whether the deadline has passed. Tests drive it with
/// made-up times, so no timeout test needs to sleep.
///
/// - A new connection, or one between requests once a byte of the next head arrived, has
///   `headerTimeout` from its first byte to send the whole head (slow-header attacks get 408).
/// - A kept-alive connection waiting for its next request is closed after `idleTimeout`.
/// - A body must keep arriving: each read resets `bodyTimeout`; and the whole body must be in by a
///   deadline set when it starts, `bodyGrace` plus its declared length at `minimumBodyRate` (the
///   largest allowed body for chunked ones), so a client trickling a byte at a time cannot hold
///   the connection and its buffer for as long as it likes.
/// - While the app works on a request there is no deadline; a client that stops reading the response
///   is closed after `writeTimeout` without progress.
struct ConnectionDeadline: Equatable {
    enum Phase: Equatable {
        case idle
        case head
        case body
        case responding
        case writing
        case lingering
    }

    /// What the sweep should do with an expired connection.
    enum Expiry: Equatable {
        case none
        /// Answer 408 Request Timeout, then close.
        case requestTimeout
        /// Close without answering.
        case close
    }

    struct Timeouts: Equatable {
        var header: Duration
        var idle: Duration
        var body: Duration
        var write: Duration
        var linger: Duration
        var bodyGrace: Duration = .seconds(10)
        /// Bytes per second a body must average (after `bodyGrace`).
        var minimumBodyRate: Int = 16 * 1024
    }

    /// `Timeouts` in nanoseconds, converted once: turning a `Duration` into nanoseconds divides
    /// 128-bit numbers, and a request sets two deadlines.
    struct Limits: Equatable {
        var header, idle, body, write, linger, bodyGrace, nanosecondsPerBodyByte: UInt64

        init(_ timeouts: Timeouts) {
            func nanoseconds(_ duration: Duration) -> UInt64 { MonotonicTime(nanoseconds: 0).advanced(by: duration).nanoseconds }
            header = nanoseconds(timeouts.header)
            idle = nanoseconds(timeouts.idle)
            body = nanoseconds(timeouts.body)
            write = nanoseconds(timeouts.write)
            linger = nanoseconds(timeouts.linger)
            bodyGrace = nanoseconds(timeouts.bodyGrace)
            nanosecondsPerBodyByte = 1_000_000_000 / UInt64(max(1, timeouts.minimumBodyRate))
        }
    }

    private(set) var phase: Phase
    private(set) var deadline: MonotonicTime?
    /// When the whole body must be in; `nil` outside a body.
    private(set) var bodyEnd: MonotonicTime?
    let limits: Limits

    /// A connection just accepted: the header clock starts now.
    init(timeouts: Timeouts, now: MonotonicTime) {
        self.init(limits: Limits(timeouts), now: now)
    }

    init(limits: Limits, now: MonotonicTime) {
        self.limits = limits
        self.phase = .head
        self.deadline = now.advanced(byNanoseconds: limits.header)
    }

    /// A response was sent and the connection is kept alive.
    mutating func waitForNextRequest(now: MonotonicTime) {
        set(.idle, now.advanced(byNanoseconds: limits.idle))
    }

    /// The first byte of a head arrived (after idling); later bytes do not extend the deadline.
    mutating func headStarted(now: MonotonicTime) {
        if phase == .idle { set(.head, now.advanced(byNanoseconds: limits.header)) }
    }

    /// A body of `length` bytes (or at most that, chunked) is next.
    mutating func bodyStarted(now: MonotonicTime, length: Int) {
        let (perByte, overflow) = limits.nanosecondsPerBodyByte.multipliedReportingOverflow(by: UInt64(max(0, length)))
        bodyEnd = now.advanced(byNanoseconds: limits.bodyGrace).advanced(byNanoseconds: overflow ? .max : perByte)
        bodyProgress(now: now)
    }

    /// Body bytes arrived: the no-progress clock starts again, never past the body's end.
    mutating func bodyProgress(now: MonotonicTime) {
        let next = now.advanced(byNanoseconds: limits.body)
        set(.body, bodyEnd.map { min($0, next) } ?? next)
    }

    /// The request went to the app.
    mutating func responding() {
        set(.responding, nil)
    }

    /// The response is waiting for the client to read; each call is progress.
    mutating func writeBlocked(now: MonotonicTime) {
        set(.writing, now.advanced(byNanoseconds: limits.write))
    }

    /// After an error response: the rest of the input is drained for a short while before closing.
    mutating func linger(now: MonotonicTime) {
        set(.lingering, now.advanced(byNanoseconds: limits.linger))
    }

    /// What to do at `now`.
    func expiry(now: MonotonicTime) -> Expiry {
        guard let deadline, now >= deadline else { return .none }
        switch phase {
        case .head, .body: return .requestTimeout
        case .idle, .responding, .writing, .lingering: return .close
        }
    }

    private mutating func set(_ phase: Phase, _ deadline: MonotonicTime?) {
        if phase != .body { bodyEnd = nil }
        self.phase = phase
        self.deadline = deadline
    }
}
