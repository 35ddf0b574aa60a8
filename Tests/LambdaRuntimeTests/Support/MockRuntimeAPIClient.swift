import LambdaRuntime
import Synchronization

/// A Runtime API client with no network: invocations from a list, calls recorded. When the list
/// runs out, `nextInvocation` asks the runtime to stop, so `run()` returns.
final class MockRuntimeAPIClient: RuntimeAPIClient {
    enum Call: Equatable {
        case response(String, [UInt8])
        case error(String, LambdaErrorReport)
        case initError(LambdaErrorReport)
        case streamed(String, contentType: String, chunks: [[UInt8]], failure: LambdaErrorReport?)
    }

    private let state: Mutex<(queue: [Invocation], calls: [Call])>
    let runtime = Mutex<LambdaRuntime?>(nil)

    init(_ invocations: [Invocation]) {
        state = Mutex((invocations, []))
    }

    var calls: [Call] { state.withLock { $0.calls } }

    func nextInvocation() throws(LambdaRuntimeError) -> Invocation {
        let next = state.withLock { state -> Invocation? in state.queue.isEmpty ? nil : state.queue.removeFirst() }
        guard let next else { throw .missingHeader("no more invocations in the mock") }
        if state.withLock({ $0.queue.isEmpty }) { _ = runtime.withLock { $0?.requestStop() } }
        return next
    }

    func sendResponse(requestID: String, body: [UInt8]) throws(LambdaRuntimeError) {
        state.withLock { $0.calls.append(.response(requestID, body)) }
    }

    func startStreamingResponse(requestID: String, contentType: String) throws(LambdaRuntimeError) -> any LambdaResponseStream {
        MockStream(requestID: requestID, contentType: contentType, client: self)
    }

    func sendError(requestID: String, _ report: LambdaErrorReport) throws(LambdaRuntimeError) {
        state.withLock { $0.calls.append(.error(requestID, report)) }
    }

    func sendInitError(_ report: LambdaErrorReport) throws(LambdaRuntimeError) {
        state.withLock { $0.calls.append(.initError(report)) }
    }

    func record(_ call: Call) {
        state.withLock { $0.calls.append(call) }
    }
}

final class MockStream: LambdaResponseStream, @unchecked Sendable {
    let requestID: String
    let contentType: String
    let client: MockRuntimeAPIClient
    var chunks: [[UInt8]] = []

    init(requestID: String, contentType: String, client: MockRuntimeAPIClient) {
        self.requestID = requestID
        self.contentType = contentType
        self.client = client
    }

    func write(_ bytes: [UInt8]) throws(LambdaRuntimeError) { chunks.append(bytes) }
    func finish() throws(LambdaRuntimeError) { client.record(.streamed(requestID, contentType: contentType, chunks: chunks, failure: nil)) }
    func fail(_ report: LambdaErrorReport) throws(LambdaRuntimeError) { client.record(.streamed(requestID, contentType: contentType, chunks: chunks, failure: report)) }
}
