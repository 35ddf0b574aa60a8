import Glibc
import HTTPCore
package import HTTPTypes
package import Sockets

/// The reading side of a test server's connection, parsed with HTTPCore's request parser and
/// chunked decoder (trailers kept), with a deadline on every wait.
package struct ServerSideConnection {
    package struct Received: Sendable {
        package var head: HTTPRequest
        package var body: [UInt8]
        package var chunked: Bool
        package var trailers: HTTPFields
        package var chunkCount: Int
    }

    let socket: Socket
    private var input: [UInt8] = []
    /// Why reading stopped, when it was not a clean end of file.
    package private(set) var problem: String?
    let idleTimeoutMilliseconds: Int32

    package init(socket: Socket, idleTimeoutMilliseconds: Int32 = 30_000) {
        self.socket = socket
        self.idleTimeoutMilliseconds = idleTimeoutMilliseconds
    }

    /// The next whole request, or `nil` at end of file, on a protocol error (`problem`) or timeout.
    package mutating func readRequest() -> Received? {
        var parser = HTTP1HeadParser(limits: HTTP1Limits(maxBodyBytes: 8 << 20))
        while true {
            let result = input.withUnsafeBufferPointer { parser.parse($0) }
            switch result {
            case .invalid(let error):
                problem = "invalid request: \(error)"
                return nil
            case .needMore:
                guard fill() else {
                    if !input.isEmpty { problem = "connection ended inside a request head" }
                    return nil
                }
            case .complete(let head, let consumed):
                input.removeFirst(consumed)
                if head.minorVersion != 1 { problem = "not HTTP/1.1" }
                switch head.framing {
                case .none, .untilClose: // a request has no until-close framing
                    return Received(head: head.request, body: [], chunked: false, trailers: [:], chunkCount: 0)
                case .length(let length):
                    while input.count < length {
                        guard fill() else { problem = "connection ended inside a body"; return nil }
                    }
                    let body = Array(input[..<length])
                    input.removeFirst(length)
                    return Received(head: head.request, body: body, chunked: false, trailers: [:], chunkCount: 0)
                case .chunked:
                    var decoder = ChunkedDecoder(maxBodyBytes: 8 << 20, keepsTrailers: true)
                    var body: [UInt8] = []
                    while !decoder.isDone {
                        do {
                            let used = try input.withUnsafeBufferPointer { try decoder.decode($0, into: &body) }
                            input.removeFirst(used)
                        } catch {
                            problem = "invalid chunked body: \(error)"
                            return nil
                        }
                        if !decoder.isDone && !fill() { problem = "connection ended inside a chunked body"; return nil }
                    }
                    guard let trailers = try? decoder.trailers() else { problem = "invalid trailers"; return nil }
                    return Received(head: head.request, body: body, chunked: true, trailers: trailers, chunkCount: decoder.chunkCount)
                }
            }
        }
    }

    package func send(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            guard let n = try? bytes.withUnsafeBytes({ try socket.write(UnsafeRawBufferPointer(rebasing: $0[sent...])) }) else { return }
            if n == 0 && !socket.poll(events: Int16(POLLOUT), timeoutMilliseconds: 2000) { return }
            sent += n
        }
    }

    private mutating func fill() -> Bool {
        guard socket.poll(events: Int16(POLLIN), timeoutMilliseconds: idleTimeoutMilliseconds) else { return false }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let result = try? chunk.withUnsafeMutableBytes { try socket.read(into: $0.baseAddress!, count: $0.count) }
            switch result {
            case .bytes(let n)?:
                input.append(contentsOf: chunk[0..<n])
                return true
            case .wouldBlock?:
                guard socket.poll(events: Int16(POLLIN), timeoutMilliseconds: idleTimeoutMilliseconds) else { return false }
            case .endOfFile?, nil:
                return false
            }
        }
    }
}
