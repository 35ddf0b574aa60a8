package import HTTPTypes
import Sockets
import HTTPCore
package import Timekeeping

/// A chunked request in progress: each `write` sends one chunk at once (so a streamed Lambda
/// response reaches the client as it is made), `finish` sends the last chunk with trailers and
/// reads the response. Exactly one of `finish` or `abandon` ends it.
package final class StreamingRequest: @unchecked Sendable {
    private let client: HTTPClient
    private let connection: ClientConnection
    private let method: HTTPRequest.Method
    private var ended = false

    init(client: HTTPClient, connection: ClientConnection, method: HTTPRequest.Method) {
        self.client = client
        self.connection = connection
        self.method = method
    }

    deinit {
        if !ended { client.streamingFinished(keepConnection: false) }
    }

    /// Sends `bytes` as one chunk; an empty write sends nothing (an empty chunk would end the body).
    package func write(_ bytes: [UInt8], deadline: MonotonicTime) throws(HTTPClientError) {
        guard !bytes.isEmpty else { return }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(bytes.count + 12)
        HTTP1Chunks.write(bytes, into: &chunk)
        do {
            try connection.write(chunk, deadline: deadline)
        } catch {
            end(keepConnection: false)
            throw error
        }
    }

    /// Sends the last chunk and `trailers`, then reads the response.
    package func finish(trailers: HTTPFields = [:], deadline: MonotonicTime) throws(HTTPClientError) -> ClientResponse {
        var last: [UInt8] = []
        HTTP1Chunks.writeLast(trailers: trailers, into: &last)
        do {
            try connection.write(last, deadline: deadline)
            let response = try connection.readResponse(method: method, deadline: deadline)
            end(keepConnection: connection.reusable)
            return response
        } catch {
            end(keepConnection: false)
            throw error
        }
    }

    /// Gives up without finishing: the connection is closed, so the server sees the body cut short.
    package func abandon() {
        end(keepConnection: false)
    }

    private func end(keepConnection: Bool) {
        guard !ended else { return }
        ended = true
        client.streamingFinished(keepConnection: keepConnection)
    }
}
