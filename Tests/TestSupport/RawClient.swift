import CLinux
import Glibc
package import Sockets
import Timekeeping

/// A deliberately dumb HTTP/1.1 client over a real socket: it sends exactly the bytes a test gives
/// and parses responses loosely, so tests can send what no real client would. Every read has a
/// deadline; nothing waits forever.
package final class RawClient {
    package struct Response {
        package var status: Int
        package var headers: [(String, String)]
        package var body: [UInt8]
        package func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        package var text: String { String(decoding: body, as: UTF8.self) }
    }

    package let socket: Socket
    private var buffer: [UInt8] = []
    package private(set) var sawEOF = false

    package convenience init(port: UInt16, timeoutMilliseconds: Int32 = 2000) throws {
        try self.init(socket: Socket.connect(to: .ipv4(host: "127.0.0.1", port: port), timeoutMilliseconds: timeoutMilliseconds))
    }

    package init(socket: Socket) {
        self.socket = socket
    }

    deinit { socket.close() }

    package func send(_ text: String) throws { try send(Array(text.utf8)) }

    package func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = try bytes.withUnsafeBytes { try socket.write(UnsafeRawBufferPointer(rebasing: $0[sent...])) }
            if n == 0 { _ = socket.poll(events: Int16(POLLOUT), timeoutMilliseconds: 1000) }
            sent += n
        }
    }

    /// Reads more bytes, waiting at most until `deadline`; false at EOF, error or deadline.
    private func fill(until deadline: MonotonicTime) -> Bool {
        guard !sawEOF else { return false }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let wait = MonotonicTime.now().milliseconds(until: deadline)
            guard wait > 0, socket.poll(events: Int16(POLLIN), timeoutMilliseconds: Int32(wait)) else { return false }
            let result = try? chunk.withUnsafeMutableBytes { try socket.read(into: $0.baseAddress!, count: $0.count) }
            switch result {
            case .bytes(let n)?:
                buffer.append(contentsOf: chunk[0..<n])
                return true
            case .wouldBlock?:
                continue
            case .endOfFile?, nil:
                sawEOF = true
                return false
            }
        }
    }

    /// The next response, or nil if none arrives within `timeout`. `head: true` for a HEAD request.
    package func readResponse(timeout: Duration = .seconds(3), head: Bool = false) -> Response? {
        let deadline = MonotonicTime.now().advanced(by: timeout)
        while true {
            while buffer.count >= 4, let end = Self.find([13, 10, 13, 10], in: buffer) {
                let headText = String(decoding: buffer[0..<end], as: UTF8.self)
                var lines = headText.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst()
                let status = Int(statusLine.split(separator: " ")[1]) ?? 0
                let headers = lines.map { line -> (String, String) in
                    let colon = line.firstIndex(of: ":")!
                    return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: " "))
                }
                var response = Response(status: status, headers: headers, body: [])
                let bodyStart = end + 4
                if status == 100 {
                    buffer.removeFirst(bodyStart)
                    return response
                }
                if head || status == 304 || status == 204 {
                    buffer.removeFirst(bodyStart)
                    return response
                }
                if let length = response.header("Content-Length").flatMap(Int.init) {
                    while buffer.count < bodyStart + length {
                        if !fill(until: deadline) { return nil }
                    }
                    response.body = Array(buffer[bodyStart..<(bodyStart + length)])
                    buffer.removeFirst(bodyStart + length)
                    return response
                }
                if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
                    var index = bodyStart
                    while true {
                        while Self.find([13, 10], in: buffer, from: index) == nil {
                            if !fill(until: deadline) { return nil }
                        }
                        let lineEnd = Self.find([13, 10], in: buffer, from: index)!
                        let size = Int(String(decoding: buffer[index..<lineEnd], as: UTF8.self), radix: 16) ?? 0
                        while buffer.count < lineEnd + 2 + size + 2 {
                            if !fill(until: deadline) { return nil }
                        }
                        response.body += buffer[(lineEnd + 2)..<(lineEnd + 2 + size)]
                        index = lineEnd + 2 + size + 2
                        if size == 0 { break }
                    }
                    buffer.removeFirst(index)
                    return response
                }
                // Delimited by close.
                while fill(until: deadline) {}
                response.body = Array(buffer[bodyStart...])
                buffer.removeAll()
                return response
            }
            if !fill(until: deadline) { return nil }
        }
    }

    /// Waits for the server to close the connection (after any unread bytes); true if it did.
    package func waitForClose(timeout: Duration = .seconds(3)) -> Bool {
        let deadline = MonotonicTime.now().advanced(by: timeout)
        while fill(until: deadline) {}
        return sawEOF
    }

    package static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if Array(haystack[index..<(index + needle.count)]) == needle { return index }
        }
        return nil
    }
}

extension String {
    package func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}

extension Substring {
    package func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

/// The same client over IPv6 loopback.
package func RawClientV6(port: UInt16) throws -> RawClient {
    try RawClient(address: .ipv6(host: "::1", port: port))
}

extension RawClient {
    package convenience init(address: SocketAddress) throws {
        try self.init(socket: Socket.connect(to: address, timeoutMilliseconds: 2000))
    }
}

extension RawClient {
    /// Sends one request and reads its response; `nil` if none comes in time.
    package func request(_ method: String, _ target: String, headers: [(String, String)] = [], body: String = "") throws -> Response? {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.utf8.count)\r\n" }
        try send(text + "\r\n" + body)
        return readResponse(head: method == "HEAD")
    }
}
