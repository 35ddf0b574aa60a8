public import HTTPTypes

/// An HTTP error with a status and a message safe to show a client; thrown by the router (404, 405)
/// and by handlers. It renders as plain text unless a middleware renders it otherwise.
public struct HTTPError: ResponseError, Equatable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// A sentence for the client; never internals.
    public var message: String
    /// Fields the response must carry, such as `Allow` for a 405.
    public var headerFields: HTTPFields

    public init(_ status: HTTPResponse.Status, message: String? = nil, headerFields: HTTPFields = [:]) {
        self.status = status
        self.message = message ?? status.reasonPhrase
        self.headerFields = headerFields
    }

    /// 405 with an `Allow` field listing `allowed`.
    public static func methodNotAllowed(allowed: [HTTPRequest.Method]) -> HTTPError {
        var fields = HTTPFields()
        fields[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return HTTPError(.methodNotAllowed, headerFields: fields)
    }

    public func response(requestID: String?) -> Response {
        var text = "\(status.code) \(message)\n"
        if let requestID { text += "request id: \(requestID)\n" }
        var response = Response.text(text, status: status)
        response.head.headerFields.append(contentsOf: headerFields)
        return response
    }

    public var description: String { "\(status.code) \(message)" }
}
