import HTTPCore
import HTTPTypes
import Logging
import Sockets
import Timekeeping

/// One client connection's I/O: reads requests, hands each to the responder, writes the answers
/// in order. Where the exchange is (reading a head or a body, answering, lingering) and what comes
/// next is `ConnectionStateMachine`'s to decide; this class holds the socket, the buffers and the
/// parsers, and does what the machine says.
///
/// It lives on one event loop and is touched only on that loop's thread (hence `@unchecked Sendable`):
/// the responder runs in a task whose executor is that loop, so even the code after an `await` comes
/// back here. One request is answered at a time; pipelined requests wait in the input buffer and are
/// parsed when the response before them is written, which keeps answers in order (RFC 9112 §9.3.2).
final class HTTPConnection: EventLoopHandler, EventLoopRoundObserver, @unchecked Sendable {
    /// How far the body being read is.
    enum BodyReader {
        case length(remaining: Int)
        case chunked(ChunkedDecoder)
    }

    let socket: Socket
    let peer: String?
    let context: LoopContext
    let server: HTTPServerCore
    var machine = ConnectionStateMachine()
    var deadline: ConnectionDeadline

    var input: [UInt8] = []
    var inputStart = 0
    var parser: HTTP1HeadParser
    var body: [UInt8] = []
    /// Set while `machine` is reading a body.
    var bodyReader: BodyReader?

    var output: [UInt8] = []
    var outputStart = 0
    var pendingFile: FileRegion?
    var pendingFileOffset = 0
    var streamWaiter: CheckedContinuation<Void, any Error>?

    /// Reading stopped with input buffered behind a request being answered; the kernel may hold
    /// more, and no new edge will say so.
    var readPaused = false
    var flushScheduled = false
    /// `process` is running (a synchronous answer can call it again).
    var processing = false

    /// Input buffered beyond the request being answered before the connection stops reading.
    static let maxBufferedInput = 64 * 1024

    init(socket: Socket, peer: String?, context: LoopContext, server: HTTPServerCore, now: MonotonicTime) {
        self.socket = socket
        self.peer = peer
        self.context = context
        self.server = server
        self.parser = HTTP1HeadParser(limits: server.configuration.limits)
        self.deadline = ConnectionDeadline(limits: server.deadlineLimits, now: now)
    }

    var isClosed: Bool { machine.isClosed }

    // MARK: Events

    /// Registered edge-triggered for reading and writing: each event means "something changed", so
    /// reading goes on until the kernel has nothing more and writing until it takes nothing more.
    func handle(_ events: IOEvents) {
        if events.contains(.writable) && hasPendingOutput { flush() }
        if events.contains(.readable) || events.contains(.hangup) { readAvailable(toEnd: events.contains(.hangup)) }
    }

    var hasPendingOutput: Bool { outputStart < output.count || pendingFile != nil }

    /// Reads until the socket is drained, or until enough is buffered behind a request in progress
    /// (then `readPaused` remembers that the kernel may hold more, since no new edge will say so).
    /// `toEnd`: the peer's FIN came with this edge (`EPOLLRDHUP`), so a short read does not mean
    /// the socket is drained: the end of input is still to be read, and no new edge will come for
    /// it. Without this, a client that sent half a head and shut down its side in one go was left
    /// open until the header timeout.
    func readAvailable(toEnd: Bool = false) {
        let scratch = context.readBuffer
        while !isClosed {
            if machine.isResponding, input.count - inputStart > Self.maxBufferedInput {
                readPaused = true
                return
            }
            readPaused = false
            let result: Socket.ReadResult
            do {
                result = try socket.read(into: scratch.baseAddress!, count: scratch.count)
            } catch {
                close()
                return
            }
            switch result {
            case .wouldBlock:
                return
            case .endOfFile:
                if machine.endOfInput() == .answerFirst { return }
                close()
                return
            case .bytes(let count):
                received(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
                // A short read emptied the socket; more data will raise a new edge.
                if count < scratch.count && !toEnd { return }
            }
        }
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        if input.capacity == 0 { context.lend(&input) }
        switch machine.inputUse {
        case .parse:
            if machine.isReadingHead, inputStart == input.count { deadline.headStarted(now: .now()) }
            input.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
            process()
        case .buffer:
            input.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
        case .drop:
            break
        }
    }

    // MARK: Parsing

    /// Parses what is buffered and dispatches complete requests, one at a time.
    func process() {
        guard !processing else { return }
        processing = true
        defer { processing = false }
        while true {
            switch machine.state {
            case .readingHead:
                guard inputStart < input.count else { return }
                let result = input.withUnsafeBufferPointer { parser.parse(UnsafeBufferPointer(rebasing: $0[inputStart...])) }
                switch result {
                case .needMore:
                    return
                case .invalid(let error):
                    server.logger.debug("bad request", metadata: ["peer": "\(peer ?? "-")", "reason": "\(error)"])
                    sendError(error.status, reason: error.description)
                    return
                case .complete(let head, let consumed):
                    inputStart += consumed
                    parser.reset()
                    compactInput()
                    startBody(head)
                }
            case .readingBody:
                guard readBody() else { return }
            case .responding, .lingering, .closed:
                return
            }
        }
    }

    private func startBody(_ head: HTTP1RequestHead) {
        body = []
        let refused = head.framing != .none && server.responder.refusesRegardlessOfBody(Request(head: head.request))
        switch machine.headParsed(head, refused: refused) {
        case .dispatch(let head):
            dispatch(head)
        case .dispatchWithoutBody(let head):
            // Answered now, then a lingering close; the body is drained unread instead of
            // buffered for nobody.
            input.removeAll(keepingCapacity: true)
            inputStart = 0
            dispatch(head)
        case .readBody(let head):
            let length: Int
            if case .length(let declared) = head.framing {
                body.reserveCapacity(declared)
                bodyReader = .length(remaining: declared)
                length = declared
            } else {
                bodyReader = .chunked(ChunkedDecoder(maxBodyBytes: server.configuration.limits.maxBodyBytes))
                length = server.configuration.limits.maxBodyBytes
            }
            deadline.bodyStarted(now: .now(), length: length)
            if head.expectsContinue, inputStart == input.count {
                output.append(contentsOf: Self.continueLine)
                flush()
            }
        }
    }

    /// Takes body bytes from the input; `true` when the request was dispatched and parsing may go on.
    private func readBody() -> Bool {
        switch bodyReader {
        case .length(let remaining)?:
            let take = min(remaining, input.count - inputStart)
            body.append(contentsOf: input[inputStart..<(inputStart + take)])
            inputStart += take
            if take == remaining { return bodyComplete() }
            bodyReader = .length(remaining: remaining - take)
        case .chunked(var decoder)?:
            do throws(HTTP1ParseError) {
                let used = try input.withUnsafeBufferPointer { buffer throws(HTTP1ParseError) -> Int in
                    try decoder.decode(UnsafeBufferPointer(rebasing: buffer[inputStart...]), into: &body)
                }
                inputStart += used
            } catch {
                sendError(error.status, reason: error.description)
                return false
            }
            if decoder.isDone { return bodyComplete() }
            bodyReader = .chunked(decoder)
        case nil:
            return false
        }
        compactInput()
        deadline.bodyProgress(now: .now())
        return false
    }

    private func bodyComplete() -> Bool {
        bodyReader = nil
        compactInput()
        guard let head = machine.bodyRead() else { return false }
        dispatch(head)
        return true
    }

    private func compactInput() {
        if inputStart == input.count {
            input.removeAll(keepingCapacity: true)
            inputStart = 0
        } else if inputStart > 16 * 1024 {
            input.removeFirst(inputStart)
            inputStart = 0
        }
    }

    // MARK: Dispatch

    /// Hands the request to the responder: answered on the spot when it can answer without
    /// waiting, otherwise in a task on this loop (see `HTTPResponder`).
    private func dispatch(_ head: HTTP1RequestHead) {
        deadline.responding()
        let request = Request(head: head.request, body: body, peer: peer)
        body = []
        switch server.responder.dispatch(consume request) {
        case .answered(let response):
            if let (stream, chunked) = write(response) {
                Task.immediate(executorPreference: context.loop) { await self.send(stream, chunked: chunked) }
            }
        case .waiting(let pending):
            Task.immediate(executorPreference: context.loop) {
                await self.transmit(await pending.response())
            }
        }
    }

    static let continueLine: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
}
