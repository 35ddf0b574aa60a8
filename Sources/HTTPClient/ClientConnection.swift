import HTTPCore
import HTTPTypes
import Sockets
import Timekeeping

/// One connection's reading side: bytes buffered from the transport, parsed by the codec's
/// response parser and chunked decoder. Used by one request at a time (the client sees to it).
final class ClientConnection: @unchecked Sendable {
    let transport: any ClientTransport
    let endpoint: String
    private let maxBodyBytes: Int
    private var input: [UInt8] = []
    /// `false` once the server said `Connection: close`, framed a body by closing, or sent more
    /// than it was asked for: the next request needs a new connection.
    private(set) var reusable = true
    /// Responses read on this connection so far.
    private(set) var served = 0

    init(transport: any ClientTransport, endpoint: String, maxBodyBytes: Int) {
        self.transport = transport
        self.endpoint = endpoint
        self.maxBodyBytes = maxBodyBytes
    }

    func write(_ bytes: [UInt8], deadline: MonotonicTime) throws(HTTPClientError) {
        var failure: HTTPClientError?
        bytes.withUnsafeBytes { raw in
            do throws(HTTPClientError) { try transport.write(raw, deadline: deadline) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Reads one whole response to a `method` request, skipping interim (1xx) responses.
    func readResponse(method: HTTPRequest.Method, deadline: MonotonicTime) throws(HTTPClientError) -> ClientResponse {
        var parser = HTTP1ResponseHeadParser(limits: HTTP1Limits(maxBodyBytes: maxBodyBytes))
        while true {
            let parsed = input.withUnsafeBufferPointer { parser.parse($0, requestMethod: method) }
            switch parsed {
            case .invalid(let error):
                reusable = false
                throw .invalidResponse(error, endpoint: endpoint)
            case .needMore:
                guard try fill(deadline: deadline) else { throw .connectionClosed(endpoint: endpoint) }
            case .complete(let head, let consumed):
                input.removeFirst(consumed)
                parser.reset()
                if head.response.status.kind == .informational { continue }
                let body = try readBody(head.framing, deadline: deadline)
                if !head.keepAlive || !input.isEmpty { reusable = false }
                served += 1
                return ClientResponse(head: head.response, body: body)
            }
        }
    }

    private func readBody(_ framing: HTTP1BodyFraming, deadline: MonotonicTime) throws(HTTPClientError) -> [UInt8] {
        switch framing {
        case .none:
            return []
        case .length(let length):
            while input.count < length {
                guard try fill(deadline: deadline) else { throw .connectionClosed(endpoint: endpoint) }
            }
            let body = Array(input[..<length])
            input.removeFirst(length)
            return body
        case .chunked:
            var decoder = ChunkedDecoder(maxBodyBytes: maxBodyBytes)
            var body: [UInt8] = []
            while true {
                var failure: HTTP1ParseError?
                let used = input.withUnsafeBufferPointer { buffer -> Int in
                    do throws(HTTP1ParseError) { return try decoder.decode(buffer, into: &body) } catch { failure = error; return 0 }
                }
                if let failure {
                    reusable = false
                    if failure == .bodyTooLarge { throw .responseTooLarge(limit: maxBodyBytes, endpoint: endpoint) }
                    throw .invalidResponse(failure, endpoint: endpoint)
                }
                input.removeFirst(used)
                if decoder.isDone { return body }
                guard try fill(deadline: deadline) else { throw .connectionClosed(endpoint: endpoint) }
            }
        case .untilClose:
            reusable = false
            while try fill(deadline: deadline) {
                if input.count > maxBodyBytes { throw .responseTooLarge(limit: maxBodyBytes, endpoint: endpoint) }
            }
            defer { input.removeAll() }
            return input
        }
    }

    /// Reads more into `input`; `false` at end of file.
    private func fill(deadline: MonotonicTime) throws(HTTPClientError) -> Bool {
        let chunk = 16 * 1024
        let start = input.count
        input.append(contentsOf: repeatElement(0, count: chunk))
        var failure: HTTPClientError?
        let count = input.withUnsafeMutableBytes { raw -> Int in
            do throws(HTTPClientError) {
                return try transport.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[start...]), deadline: deadline)
            } catch {
                failure = error
                return 0
            }
        }
        if let failure {
            input.removeLast(chunk)
            reusable = false
            throw failure
        }
        input.removeLast(chunk - count)
        if count == 0 { reusable = false }
        return count > 0
    }
}
