public import HTTPTypes

/// A whole response as the client read it: status, fields, body, and trailers when chunked.
public struct ClientResponse: Sendable {
    public var head: HTTPResponse
    public var body: [UInt8]

    public init(head: HTTPResponse, body: [UInt8]) {
        self.head = head
        self.body = body
    }

    public var status: HTTPResponse.Status { head.status }
}
