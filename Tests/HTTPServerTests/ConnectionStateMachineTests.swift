import HTTPTypes
import Testing
@testable import HTTPCore
@testable import HTTPServer

/// The connection's exchange without a socket: events in, actions out (`ConnectionStateMachine`).
/// The same paths run over real sockets in the other server suites; here each rule is one step.
@Suite("connection state machine")
struct ConnectionStateMachineTests {
    static func head(_ method: HTTPRequest.Method = .get, framing: HTTP1BodyFraming = .none, minorVersion: Int = 1, keepAlive: Bool = true) -> HTTP1RequestHead {
        HTTP1RequestHead(request: HTTPRequest(method: method, scheme: nil, authority: "a", path: "/"), minorVersion: minorVersion,
                         framing: framing, keepAlive: keepAlive, expectsContinue: false)
    }

    @Test("keep-alive: head, answer, written, then the next head")
    func keepAlive() {
        var machine = ConnectionStateMachine()
        #expect(machine.inputUse == .parse)
        #expect(machine.headParsed(Self.head(), refused: false) == .dispatch(Self.head()))
        #expect(machine.inputUse == .buffer) // a pipelined request waits for this answer (RFC 9112 §9.3.2)
        let plan = machine.responseStarts(status: .ok, bodyCount: 5, shuttingDown: false)
        #expect(plan == .init(framing: .length(5), keepAlive: true, minorVersion: 1, sendsBody: true))
        #expect(machine.responseWritten(shuttingDown: false) == nil) // nothing queued yet
        machine.responseComplete()
        #expect(machine.responseWritten(shuttingDown: false) == .readNextRequest)
        #expect(machine.isReadingHead)
        #expect(machine.responseWritten(shuttingDown: false) == nil) // once per answer
    }

    @Test("a body is read before the answer, and the head comes back when it is in")
    func body() {
        var machine = ConnectionStateMachine()
        let post = Self.head(.post, framing: .length(3))
        #expect(machine.headParsed(post, refused: false) == .readBody(post))
        #expect(machine.inputUse == .parse)
        #expect(machine.responseStarts(status: .ok, bodyCount: 0, shuttingDown: false) == nil) // nothing to answer yet
        #expect(machine.bodyRead() == post)
        #expect(machine.isResponding)
        #expect(machine.bodyRead() == nil)
    }

    @Test("a request refused whatever its body: answered at once without keep-alive, then a lingering close")
    func refusedBody() {
        var machine = ConnectionStateMachine()
        let refused = Self.head(.post, framing: .chunked)
        let action = machine.headParsed(refused, refused: true)
        #expect(action == .dispatchWithoutBody(Self.head(.post, framing: .chunked, keepAlive: false)))
        #expect(machine.responseStarts(status: .notFound, bodyCount: 9, shuttingDown: false)?.keepAlive == false)
        machine.responseComplete()
        #expect(machine.responseWritten(shuttingDown: false) == .linger)
        #expect(machine.inputUse == .drop)
        // Without a body, refusal changes nothing: the 404 is an ordinary answer.
        var plain = ConnectionStateMachine()
        #expect(plain.headParsed(Self.head(), refused: true) == .dispatch(Self.head()))
    }

    @Test("framing: a length when known, chunked for a stream, until-close for a stream to HTTP/1.0, none where the status has no body")
    func framing() {
        func plan(_ status: HTTPResponse.Status, count: Int?, head: HTTP1RequestHead = Self.head()) -> ConnectionStateMachine.ResponsePlan? {
            var machine = ConnectionStateMachine()
            _ = machine.headParsed(head, refused: false)
            return machine.responseStarts(status: status, bodyCount: count, shuttingDown: false)
        }
        #expect(plan(.ok, count: nil)?.framing == .chunked)
        let old = plan(.ok, count: nil, head: Self.head(minorVersion: 0))
        #expect(old?.framing == .untilClose && old?.keepAlive == false) // RFC 9112 §6.3 rule 8
        #expect(plan(.noContent, count: 0)?.framing == HTTP1BodyFraming.none) // RFC 9110 §8.6
        #expect(plan(.notModified, count: 10)?.framing == HTTP1BodyFraming.none)
        let head = plan(.ok, count: 10, head: Self.head(.head))
        #expect(head?.framing == .length(10) && head?.sendsBody == false) // HEAD keeps the length (RFC 9110 §9.3.2)
        #expect(plan(.ok, count: 1, head: Self.head(keepAlive: false))?.keepAlive == false)
    }

    @Test("the client's end of input: closed at once between requests, after the answer during one")
    func endOfInput() {
        var idle = ConnectionStateMachine()
        #expect(idle.endOfInput() == .close)
        var busy = ConnectionStateMachine()
        _ = busy.headParsed(Self.head(), refused: false)
        #expect(busy.endOfInput() == .answerFirst)
        #expect(busy.responseStarts(status: .ok, bodyCount: 1, shuttingDown: false)?.keepAlive == false)
        busy.responseComplete()
        #expect(busy.responseWritten(shuttingDown: false) == .close)
    }

    @Test("a graceful stop: idle connections close, a request under way is answered without keep-alive, then closed")
    func stopping() {
        var idle = ConnectionStateMachine()
        #expect(idle.closesWhenIdle(outputPending: false))
        #expect(!idle.closesWhenIdle(outputPending: true))
        _ = idle.headParsed(Self.head(), refused: false)
        #expect(!idle.closesWhenIdle(outputPending: false))
        #expect(idle.responseStarts(status: .ok, bodyCount: 1, shuttingDown: true)?.keepAlive == false)
        idle.responseComplete()
        #expect(idle.responseWritten(shuttingDown: true) == .close)
    }

    @Test("errors and timeouts: an error answer, then lingering; a silent connection is closed, a started one gets 408")
    func errors() {
        var machine = ConnectionStateMachine()
        #expect(machine.requestTimeout(inputBuffered: false) == .close)
        #expect(machine.requestTimeout(inputBuffered: true) == .answer408)
        _ = machine.headParsed(Self.head(.post, framing: .length(10)), refused: false)
        #expect(machine.requestTimeout(inputBuffered: false) == .answer408) // mid-body
        let failed = machine.failed()
        #expect(failed)
        #expect(machine.inputUse == .drop)
        #expect(machine.responseWritten(shuttingDown: false) == .linger)
        machine.closed()
        let failedAgain = machine.failed()
        #expect(!failedAgain)
        machine.responseComplete()
        #expect(machine.responseWritten(shuttingDown: false) == nil)
        #expect(machine.responseStarts(status: .ok, bodyCount: 1, shuttingDown: false) == nil)
    }
}
