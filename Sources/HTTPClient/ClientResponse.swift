package import HTTPTypes

/// A whole response as the client read it: status, fields, body, and trailers when chunked.
package struct ClientResponse: Sendable {
    package var head: HTTPResponse
    package var body: [UInt8]

    package init(head: HTTPResponse, body: [UInt8]) {
        self.head = head
        self.body = body
    }

    package var status: HTTPResponse.Status { head.status }
}
