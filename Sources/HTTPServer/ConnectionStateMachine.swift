import HTTPCore
import HTTPTypes

/// Where one HTTP/1.1 connection is in its exchange, as a pure value: `HTTPConnection` reports
/// what happened (a head parsed, a body read, the peer's end of input, the answer written) and
/// does what the answer says; this decides what happens next. It reads no socket and no clock, so
/// tests drive it through every path with made-up events (`ConnectionStateMachineTests`), as
/// `ConnectionDeadline` is driven with made-up times.
///
/// One request is answered at a time: bytes that arrive while one is answered wait in the input
/// buffer, so that answers go out in order (RFC 9112 §9.3.2).
struct ConnectionStateMachine: Equatable {
    enum State: Equatable {
        case readingHead
        case readingBody(HTTP1RequestHead)
        case responding(Exchange)
        /// After an answer that ends the exchange early (an error, a refused body): input is read
        /// and dropped until the client closes or the linger time runs out.
        case lingering
        case closed
    }

    /// What answering a request needs to know of it, kept instead of its head: plain values,
    /// copied without reference counting.
    struct Exchange: Equatable {
        var minorVersion: Int
        var keepAlive: Bool
        var isHead: Bool

        init(_ head: HTTP1RequestHead) {
            minorVersion = head.minorVersion
            keepAlive = head.keepAlive
            isHead = head.request.method == .head
        }
    }

    private(set) var state = State.readingHead
    /// The client's FIN was read: answer what was asked, then close.
    private(set) var peerClosedInput = false
    /// A response is queued whole: once the output is flushed, `responseWritten` is due.
    private(set) var responseQueued = false
    /// The answer being written is the connection's last (no keep-alive).
    private var closeAfterResponse = false
    /// The request's body was never read: after the answer, linger instead of reading on.
    private var lingerAfterResponse = false

    var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    var isReadingHead: Bool {
        if case .readingHead = state { return true }
        return false
    }

    var isResponding: Bool {
        if case .responding = state { return true }
        return false
    }

    // MARK: Input

    /// What to do with bytes just read.
    enum InputUse: Equatable {
        /// Parse them now: a head or a body is being read.
        case parse
        /// Keep them for later: they are the next request, which waits for this answer.
        case buffer
        /// Drop them: nothing more on this connection is read.
        case drop
    }

    var inputUse: InputUse {
        switch state {
        case .readingHead, .readingBody: .parse
        case .responding: .buffer
        case .lingering, .closed: .drop
        }
    }

    /// The client shut down its side: close now, unless a request is being answered (then its
    /// answer goes out first, and the connection closes after it).
    mutating func endOfInput() -> EndOfInput {
        peerClosedInput = true
        return isResponding ? .answerFirst : .close
    }

    enum EndOfInput: Equatable {
        case close
        case answerFirst
    }

    /// What to do with a request head just parsed.
    enum HeadAction: Equatable {
        /// No body (RFC 9112 §6.3): answer it now.
        case dispatch(HTTP1RequestHead)
        /// Refused whatever its body holds (404, 405): answer now, leave the body unread, close
        /// after lingering. The head given has keep-alive off.
        case dispatchWithoutBody(HTTP1RequestHead)
        /// Read its body first.
        case readBody(HTTP1RequestHead)
    }

    /// A head was parsed; `refused` says the responder refuses it whatever its body.
    mutating func headParsed(_ head: HTTP1RequestHead, refused: Bool) -> HeadAction {
        switch head.framing {
        case .none, .untilClose: // a request has no until-close framing (RFC 9112 §6.3 rule 7)
            state = .responding(Exchange(head))
            return .dispatch(head)
        case .length, .chunked:
            guard refused else {
                state = .readingBody(head)
                return .readBody(head)
            }
            var head = head
            head.keepAlive = false
            lingerAfterResponse = true
            state = .responding(Exchange(head))
            return .dispatchWithoutBody(head)
        }
    }

    /// The whole body is in: the head to answer, or `nil` when no body was being read.
    mutating func bodyRead() -> HTTP1RequestHead? {
        guard case .readingBody(let head) = state else { return nil }
        state = .responding(Exchange(head))
        return head
    }

    // MARK: Output

    /// How an answer goes on the wire.
    struct ResponsePlan: Equatable {
        var framing: HTTP1BodyFraming
        var keepAlive: Bool
        /// The request's HTTP/1 minor version, which the status line answers in.
        var minorVersion: Int
        /// Whether the body follows the head (not for HEAD, 1xx, 204, 304).
        var sendsBody: Bool
    }

    /// The answer to the request being answered is about to be written: with what framing, and
    /// whether the connection stays open after it. `bodyCount` is the body's length if known
    /// (`nil` for a stream). `nil` when there is nothing to answer (the connection closed).
    mutating func responseStarts(status: HTTPResponse.Status, bodyCount: Int?, shuttingDown: Bool) -> ResponsePlan? {
        guard case .responding(let exchange) = state else { return nil }
        let allowsBody = HTTP1ResponseSerializer.allowsBody(status)
        var keepAlive = exchange.keepAlive && !peerClosedInput && !shuttingDown
        let framing: HTTP1BodyFraming
        if !allowsBody {
            framing = .none
        } else if let bodyCount {
            framing = .length(bodyCount)
        } else if exchange.minorVersion >= 1 {
            framing = .chunked
        } else {
            // HTTP/1.0 has no chunking: the body runs until the close (RFC 9112 §6.3 rule 8).
            framing = .untilClose
            keepAlive = false
        }
        closeAfterResponse = !keepAlive
        return ResponsePlan(framing: framing, keepAlive: keepAlive, minorVersion: exchange.minorVersion, sendsBody: allowsBody && !exchange.isHead)
    }

    /// The answer is queued whole (a stream's last piece included).
    mutating func responseComplete() {
        guard !isClosed else { return }
        responseQueued = true
    }

    /// A request cannot be answered normally (malformed, too large, too slow): an error answer is
    /// queued, then the connection lingers. `false` when it is closed already.
    mutating func failed() -> Bool {
        guard !isClosed else { return false }
        state = .lingering
        responseQueued = true
        return true
    }

    /// What follows an answer that is on the wire.
    enum AfterResponse: Equatable {
        /// Shut down writing, drain input for a while, then close.
        case linger
        case close
        /// Read the next request (some of it may be buffered already).
        case readNextRequest
    }

    /// The queued answer is flushed; `nil` when none was queued.
    mutating func responseWritten(shuttingDown: Bool) -> AfterResponse? {
        guard responseQueued, !isClosed else { return nil }
        responseQueued = false
        if lingerAfterResponse {
            lingerAfterResponse = false
            state = .lingering
        }
        if case .lingering = state { return .linger }
        if closeAfterResponse || peerClosedInput || shuttingDown { return .close }
        state = .readingHead
        closeAfterResponse = false
        return .readNextRequest
    }

    // MARK: Deadlines and stopping

    /// What an expired 408 deadline does: a connection that never sent a byte of its request is
    /// closed, since there is nothing to answer; otherwise it gets 408 (then `failed`).
    func requestTimeout(inputBuffered: Bool) -> TimeoutAction {
        isReadingHead && !inputBuffered ? .close : .answer408
    }

    enum TimeoutAction: Equatable {
        case close
        case answer408
    }

    /// During a graceful stop: whether the connection may close now (between requests, with
    /// nothing left to write).
    func closesWhenIdle(outputPending: Bool) -> Bool {
        isReadingHead && !outputPending
    }

    mutating func closed() {
        state = .closed
    }
}
