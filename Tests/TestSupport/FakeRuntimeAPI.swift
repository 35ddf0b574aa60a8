import Glibc
import HTTPCore
package import HTTPTypes
import JSON
internal import Sockets
import Synchronization
import Threads

/// A Lambda Runtime API on 127.0.0.1 port 0, written from AWS's documentation ("Using the Lambda
/// runtime API for custom runtimes", "Response streaming for custom runtimes") and at least as
/// strict: `/next` answered chunked with the documented headers; one answer per request id, an
/// unknown or already answered id refused with 400; error calls need the error-type header and
/// `{errorMessage, errorType, stackTrace}`; a streamed answer must be chunked and may carry only
/// the trailers it declared; a buffered answer over 6 MB is refused with 413. Anything the
/// documentation does not allow is also recorded in `violations`, which a passing test expects empty.
///
/// With `maxConcurrency` above 1 it is Lambda Managed Instances' Runtime API: up to that many
/// `/next` calls are served at once, each on its own connection ("Lambda Managed Instances
/// support concurrent requests", the Runtime API page). `holdResponsesUntil` makes each answer wait
/// until that many are in, which only a runtime answering that many invocations at once gets past.
package final class FakeRuntimeAPI: @unchecked Sendable {
    /// One call that answered an invocation (or `/init/error`).
    package struct Answer: Sendable {
        package enum Kind: Sendable, Equatable { case response, streamedResponse, error, initError }
        package var kind: Kind
        package var requestID: String
        package var headers: HTTPFields
        package var body: [UInt8]
        package var trailers: HTTPFields
        /// Data chunks in a streamed answer.
        package var chunkCount: Int
        /// The status this server answered the call with.
        package var status: Int
        package var json: JSONValue? { try? JSONValue.parse(body) }
        package var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct Event {
        var requestID: String
        var body: [UInt8]
        var deadlineMilliseconds: Int64
        var traceID: String?
    }

    struct State {
        var queue: [Event] = []
        var outstanding: Set<String> = []
        var answered: Set<String> = []
        var answers: [Answer] = []
        var violations: [String] = []
        var nextCalls = 0
        var connections = 0
        var stopped = false
        /// The most invocations handed out and not yet answered at one time.
        var peakOutstanding = 0
        /// Answers received and held back (`holdResponsesUntil`).
        var held = 0
    }

    package let maxConcurrency: Int
    package let holdResponsesUntil: Int

    package let port: UInt16
    private let listener: Socket
    private let state = Mutex(State())
    static let base = "/2018-06-01/runtime"

    package init(maxConcurrency: Int = 1, holdResponsesUntil: Int = 0) throws {
        self.maxConcurrency = maxConcurrency
        self.holdResponsesUntil = holdResponsesUntil
        listener = try Socket.listening(on: .ipv4(host: "127.0.0.1", port: 0))
        port = try listener.localAddress().port
        let listener = self.listener
        _ = try PosixThread(name: "fake-runtime") { [self] in
            // This thread owns the listener and closes it: closed from `stop()`, its number could be
            // reused by another test's socket while this thread still polls it.
            defer { listener.close() }
            while !isStopped {
                guard listener.poll(events: Int16(POLLIN), timeoutMilliseconds: 20), let (socket, _) = try? listener.accept() else { continue }
                state.withLock { $0.connections += 1 }
                _ = try? PosixThread(name: "fake-runtime-c") { [self] in serve(socket) }
            }
        }
    }

    deinit { stop() }

    package var endpoint: String { "127.0.0.1:\(port)" }

    /// Queues an invocation of `event`; returns its request id.
    @discardableResult
    package func enqueue(_ event: [UInt8], requestID: String = FakeRuntimeAPI.newID(), deadlineIn milliseconds: Int64 = 10_000,
                        traceID: String? = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1") -> String {
        let deadline = WallClock.nowMilliseconds() + milliseconds
        state.withLock { $0.queue.append(Event(requestID: requestID, body: event, deadlineMilliseconds: deadline, traceID: traceID)) }
        return requestID
    }

    @discardableResult
    package func enqueue(_ event: String, requestID: String = FakeRuntimeAPI.newID()) -> String {
        enqueue(Array(event.utf8), requestID: requestID)
    }

    /// The answer to `requestID`, waiting at most `timeout`.
    package func answer(for requestID: String, timeout: Duration = .seconds(10)) -> Answer? {
        waitFor(timeout) { $0.answers.first { $0.requestID == requestID && $0.status == 202 } }
    }

    /// The first `/init/error`, waiting at most `timeout`.
    package func initError(timeout: Duration = .seconds(10)) -> Answer? {
        waitFor(timeout) { $0.answers.first { $0.kind == .initError } }
    }

    /// Waits until the runtime has asked `/next` `count` times (it is then idle, waiting).
    package func waitForNextCalls(_ count: Int, timeout: Duration = .seconds(10)) -> Bool {
        waitFor(timeout) { $0.nextCalls >= count ? true : nil } ?? false
    }

    package var violations: [String] { state.withLock { $0.violations } }
    package var answers: [Answer] { state.withLock { $0.answers } }
    package var connections: Int { state.withLock { $0.connections } }
    package var peakOutstanding: Int { state.withLock { $0.peakOutstanding } }

    /// Stops accepting and answering; the listening thread closes the socket within 20 ms.
    package func stop() {
        state.withLock { $0.stopped = true }
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func waitFor<T>(_ timeout: Duration, _ check: (inout State) -> T?) -> T? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let found = state.withLock({ check(&$0) }) { return found }
            usleep(1_000)
        }
        return nil
    }

    package static func newID() -> String {
        let hex = Array("0123456789abcdef".utf8)
        let bytes = (0..<16).map { _ in hex[Int.random(in: 0..<16)] }
        return String(decoding: bytes[0..<8], as: UTF8.self) + "-" + String(decoding: bytes[8..<12], as: UTF8.self) + "-4"
            + String(decoding: bytes[12..<15], as: UTF8.self) + "-a" + String(decoding: bytes[13..<16], as: UTF8.self) + "-0123456789ab"
    }

    // MARK: One connection

    private func serve(_ socket: Socket) {
        defer { socket.close() }
        var connection = ServerSideConnection(socket: socket)
        while !isStopped {
            guard let request = connection.readRequest() else {
                if let problem = connection.problem { record(violation: problem) }
                return
            }
            let reply = handle(request)
            connection.send(reply)
        }
    }

    private func record(violation: String) {
        state.withLock { $0.violations.append(violation) }
    }

    private func handle(_ request: ServerSideConnection.Received) -> [UInt8] {
        let path = request.head.path ?? ""
        if request.head.method == .get && path == Self.base + "/invocation/next" {
            return next()
        }
        if request.head.method == .post && path == Self.base + "/init/error" {
            return acceptError(request, requestID: "", kind: .initError)
        }
        let prefix = Self.base + "/invocation/"
        if request.head.method == .post && path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false)
            if rest.count == 2 && rest[1] == "response" { return acceptResponse(request, requestID: String(rest[0])) }
            if rest.count == 2 && rest[1] == "error" { return acceptError(request, requestID: String(rest[0]), kind: .error) }
        }
        record(violation: "unknown call \(request.head.method) \(path)")
        return Self.reply(404, #"{"errorType":"NotFound","errorMessage":"no such Runtime API call"}"#)
    }

    private func next() -> [UInt8] {
        state.withLock { state in
            state.nextCalls += 1
            if state.outstanding.count >= maxConcurrency {
                state.violations.append(maxConcurrency == 1 ? "/next called before the previous invocation was answered"
                                                             : "/next called with \(maxConcurrency) invocations unanswered")
            }
        }
        var event: Event?
        while event == nil && !isStopped {
            event = state.withLock { state -> Event? in
                guard state.outstanding.count < maxConcurrency, !state.queue.isEmpty else { return nil }
                let first = state.queue.removeFirst()
                state.outstanding.insert(first.requestID)
                state.peakOutstanding = max(state.peakOutstanding, state.outstanding.count)
                return first
            }
            if event == nil { usleep(500) }
        }
        guard let event else { return Self.reply(500, "{}") }
        var head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: \(event.requestID)\r\n"
        head += "Lambda-Runtime-Deadline-Ms: \(event.deadlineMilliseconds)\r\n"
        head += "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:123456789012:function:swiftlet\r\n"
        if let trace = event.traceID { head += "Lambda-Runtime-Trace-Id: \(trace)\r\n" }
        head += "Transfer-Encoding: chunked\r\n\r\n"
        var bytes = Array(head.utf8)
        // In two chunks, so that a client that reads only one is caught.
        let half = event.body.count / 2
        if half > 0 { HTTP1Chunks.write(Array(event.body[..<half]), into: &bytes) }
        if event.body.count > half { HTTP1Chunks.write(Array(event.body[half...]), into: &bytes) }
        HTTP1Chunks.writeLast(into: &bytes)
        return bytes
    }

    private func claim(_ requestID: String) -> Bool {
        state.withLock { state in
            guard state.outstanding.remove(requestID) != nil else { return false }
            state.answered.insert(requestID)
            return true
        }
    }

    private func store(_ answer: Answer) {
        state.withLock { $0.answers.append(answer) }
    }

    private func acceptResponse(_ request: ServerSideConnection.Received, requestID: String) -> [UInt8] {
        let fields = request.head.headerFields
        let streaming = fields[HTTPField.Name("Lambda-Runtime-Function-Response-Mode")!] == "streaming"
        var answer = Answer(kind: streaming ? .streamedResponse : .response, requestID: requestID, headers: fields, body: request.body,
                            trailers: request.trailers, chunkCount: request.chunkCount, status: 202)
        if streaming {
            if !request.chunked {
                record(violation: "a streamed response that is not chunked")
                answer.status = 400
            }
            let declared = Set((fields[.trailer] ?? "").split(separator: ",").map { $0.trimmingWhitespace().lowercased() })
            for trailer in request.trailers where !declared.contains(trailer.name.canonicalName) {
                record(violation: "trailer \(trailer.name) sent but not declared in Trailer")
                answer.status = 400
            }
            if fields[.contentType] == "application/vnd.awslambda.http-integration-response" && !Self.hasPrelude(request.body) {
                record(violation: "an http-integration-response without its JSON prelude and 8 NUL bytes")
                answer.status = 400
            }
        } else if request.body.count > 6 * 1024 * 1024 {
            answer.status = 413
            store(answer)
            return Self.reply(413, #"{"errorType":"RequestEntityTooLarge","errorMessage":"response over 6 MB"}"#)
        }
        guard answer.status == 202 else { store(answer); return Self.reply(400, #"{"errorType":"InvalidRequest"}"#) }
        if holdResponsesUntil > 0 {
            state.withLock { $0.held += 1 }
            let released = waitFor(.seconds(10)) { $0.held >= holdResponsesUntil || $0.stopped ? true : nil } ?? false
            if !released { record(violation: "only \(state.withLock { $0.held }) of \(holdResponsesUntil) answers came in while they were held") }
        }
        guard claim(requestID) else {
            answer.status = 400
            store(answer)
            return Self.reply(400, #"{"errorType":"InvalidRequestID","errorMessage":"unknown or already answered request id"}"#)
        }
        store(answer)
        return Self.reply(202, #"{"status":"OK"}"#)
    }

    private func acceptError(_ request: ServerSideConnection.Received, requestID: String, kind: Answer.Kind) -> [UInt8] {
        var answer = Answer(kind: kind, requestID: requestID, headers: request.head.headerFields, body: request.body,
                            trailers: [:], chunkCount: 0, status: 202)
        let type = request.head.headerFields[HTTPField.Name("Lambda-Runtime-Function-Error-Type")!]
        let json = try? JSONValue.parse(request.body)
        guard type != nil, json?["errorMessage"]?.string != nil, json?["errorType"]?.string != nil, json?["stackTrace"]?.array != nil else {
            record(violation: "an error call without Lambda-Runtime-Function-Error-Type or {errorMessage, errorType, stackTrace}")
            answer.status = 400
            store(answer)
            return Self.reply(400, #"{"errorType":"InvalidErrorShape"}"#)
        }
        if kind == .error && !claim(requestID) {
            answer.status = 400
            store(answer)
            return Self.reply(400, #"{"errorType":"InvalidRequestID","errorMessage":"unknown or already answered request id"}"#)
        }
        store(answer)
        return Self.reply(202, #"{"status":"OK"}"#)
    }

    static func hasPrelude(_ body: [UInt8]) -> Bool {
        guard let end = (0..<max(0, body.count - 7)).first(where: { index in (index..<(index + 8)).allSatisfy { body[$0] == 0 } }) else { return false }
        return (try? JSONValue.parse(Array(body[..<end])))?["statusCode"]?.int != nil
    }

    static func reply(_ status: Int, _ body: String) -> [UInt8] {
        let reason = [202: "Accepted", 400: "Bad Request", 404: "Not Found", 413: "Payload Too Large", 500: "Internal Server Error"][status] ?? "OK"
        return Array("HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
    }
}
