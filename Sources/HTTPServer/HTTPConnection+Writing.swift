import HTTPCore
import HTTPTypes
import Sockets
import Timekeeping
import Logging

extension HTTPConnection {
    /// Writes `response` as the answer to the request being answered: head and small bodies at
    /// once, files with `sendfile`, streams chunk by chunk with back-pressure. Runs on the loop's
    /// thread.
    func transmit(_ response: Response) async {
        guard let (stream, chunked) = write(response) else { return }
        await send(stream, chunked: chunked)
    }

    /// Sends a streamed body whose head `write` has queued, then finishes the response.
    func send(_ stream: BodyStream, chunked: Bool) async {
        await sendStream(stream, chunked: chunked)
        if isClosed { return }
        machine.responseComplete()
        scheduleFlush()
    }

    /// Queues the head and a body that is already made; returns a body still to be produced
    /// (a stream), for `transmit` to send, or `nil` when the response is complete.
    func write(_ response: Response) -> (BodyStream, chunked: Bool)? {
        let status = response.head.status
        guard let plan = machine.responseStarts(status: status, bodyCount: response.body.count, shuttingDown: context.shuttingDown) else { return nil }
        if output.capacity == 0 { context.lend(&output) }
        HTTP1ResponseSerializer.writeHead(
            response.head, status: status, framing: plan.framing, keepAlive: plan.keepAlive, minorVersion: plan.minorVersion,
            date: context.date, requestID: response.requestID, into: &output
        )
        if plan.sendsBody {
            switch response.body {
            case .empty:
                break
            case .bytes(let bytes):
                output.append(contentsOf: bytes)
            case .file(let region):
                pendingFile = region
                pendingFileOffset = region.offset
            case .stream(let stream):
                return (stream, plan.framing == .chunked)
            }
        }
        machine.responseComplete()
        scheduleFlush()
        return nil
    }

    /// Writes at the end of the loop's round, with every other response of the round.
    func scheduleFlush() {
        guard !flushScheduled, !isClosed else { return }
        flushScheduled = true
        context.loop.atEndOfRound(self)
    }

    func roundEnded() {
        flushScheduled = false
        if hasPendingOutput || machine.responseQueued { flush() }
    }

    private func sendStream(_ stream: BodyStream, chunked: Bool) async {
        let writer = ConnectionBodyWriter(connection: self, chunked: chunked)
        do {
            try await stream.produce(writer)
            if chunked { HTTP1Chunks.writeLast(into: &output) }
        } catch {
            // The head is gone; the only honest signal left is to cut the connection short.
            server.logger.error("response stream failed", metadata: ["error": "\(error)"])
            close()
        }
    }

    /// Queues one piece of a streamed body; waits while too much is unsent.
    func writeStreamed(_ bytes: [UInt8], chunked: Bool) async throws {
        guard !isClosed else { throw SocketError(call: "write", errno: 32, detail: "connection closed") }
        guard !bytes.isEmpty else { return }
        if chunked {
            HTTP1Chunks.write(bytes, into: &output)
        } else {
            output.append(contentsOf: bytes)
        }
        flush()
        if output.count - outputStart > 256 * 1024 {
            try await withCheckedThrowingContinuation { streamWaiter = $0 }
        }
    }

    /// Writes what the socket takes; arranges to be called again when it can take more.
    func flush() {
        guard !isClosed else { return }
        do {
            while outputStart < output.count {
                let written = try output.withUnsafeBytes {
                    try socket.write(UnsafeRawBufferPointer(rebasing: $0[outputStart...]))
                }
                if written == 0 { return waitForWritable() }
                outputStart += written
            }
            output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
            outputStart = 0
            if let region = pendingFile {
                let end = region.offset + region.count
                while pendingFileOffset < end {
                    let sent = try socket.sendFile(region.file.fd, offset: &pendingFileOffset, count: end - pendingFileOffset)
                    if sent == 0 { return waitForWritable() }
                }
                pendingFile = nil
            }
        } catch {
            close()
            return
        }
        if let waiter = streamWaiter {
            streamWaiter = nil
            waiter.resume()
        }
        if machine.responseQueued { finishResponse() }
    }

    /// The socket is full; the writable edge calls `flush` again.
    private func waitForWritable() {
        deadline.writeBlocked(now: .now())
    }

    /// The response is on the wire: linger, close, or go back to reading the next request.
    private func finishResponse() {
        switch machine.responseWritten(shuttingDown: context.shuttingDown) {
        case nil:
            return
        case .linger:
            socket.shutdownWrite()
            deadline.linger(now: .now())
            readAvailable()
        case .close:
            close()
        case .readNextRequest:
            deadline.waitForNextRequest(now: .now())
            if outputStart == output.count && pendingFile == nil {
                outputStart = 0
                context.reclaim(&output)
            }
            if inputStart == input.count && !readPaused {
                // Nothing buffered: the buffers go back to the loop until bytes come again.
                inputStart = 0
                context.reclaim(&input)
            }
            if inputStart < input.count {
                deadline.headStarted(now: .now())
                process()
            }
            if readPaused, machine.isReadingHead { readAvailable() }
        }
    }

    /// Answers a request that cannot be processed (malformed, too large, too slow), then drains and
    /// closes: after a framing error nothing more on the connection can be trusted.
    func sendError(_ status: HTTPResponse.Status, reason: String) {
        guard machine.failed() else { return }
        input.removeAll()
        inputStart = 0
        let text = "\(status.code) \(status.reasonPhrase)\n"
        var head = HTTPResponse(status: status)
        head.headerFields[.contentType] = "text/plain; charset=utf-8"
        HTTP1ResponseSerializer.writeHead(head, framing: .length(text.utf8.count), keepAlive: false, minorVersion: 1, date: context.date, into: &output)
        output.append(contentsOf: text.utf8)
        flush()
    }

    /// Expires the connection if its deadline passed.
    func checkDeadline(now: MonotonicTime) {
        switch deadline.expiry(now: now) {
        case .none:
            return
        case .close:
            close()
        case .requestTimeout:
            switch machine.requestTimeout(inputBuffered: inputStart < input.count) {
            case .close: close() // never said anything: nothing to answer
            case .answer408: sendError(.requestTimeout, reason: "request timeout")
            }
        }
    }

    /// During a graceful stop: closes the connection now if no request is under way.
    func closeIfIdle() {
        if machine.closesWhenIdle(outputPending: hasPendingOutput) { close() }
    }

    func close() {
        guard !isClosed else { return }
        machine.closed()
        bodyReader = nil
        context.loop.deregister(socket.fd)
        socket.close()
        pendingFile = nil
        inputStart = 0
        outputStart = 0
        context.reclaim(&input)
        context.reclaim(&output)
        if let waiter = streamWaiter {
            streamWaiter = nil
            waiter.resume(throwing: SocketError(call: "write", errno: 32, detail: "connection closed"))
        }
        context.remove(self)
    }
}

/// The `BodyWriter` a streamed response writes to.
struct ConnectionBodyWriter: BodyWriter {
    let connection: HTTPConnection
    let chunked: Bool

    func write(_ bytes: [UInt8]) async throws {
        try await connection.writeStreamed(bytes, chunked: chunked)
    }
}
