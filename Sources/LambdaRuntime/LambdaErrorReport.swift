import JSON

/// The error document the Runtime API takes on `/invocation/{id}/error` and `/init/error`:
/// `{"errorMessage", "errorType", "stackTrace"}`, with the type repeated in the
/// `Lambda-Runtime-Function-Error-Type` header (AWS, "Using the Lambda runtime API", Errors).
package struct LambdaErrorReport: Error, Sendable, Equatable {
    package var type: String
    package var message: String

    package init(type: String, message: String) {
        self.type = type
        self.message = message
    }

    package var json: [UInt8] {
        var writer = JSONWriter(capacity: 96 + message.utf8.count)
        writer.beginObject()
        writer.key("errorMessage")
        writer.string(message)
        writer.key("errorType")
        writer.string(type)
        writer.key("stackTrace")
        writer.beginArray()
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    /// An event of no format the runtime knows.
    package static func unsupportedEvent(_ detail: String) -> LambdaErrorReport {
        LambdaErrorReport(type: "Runtime.UnsupportedEvent", message: detail)
    }

    /// An event of a known format that does not decode (bad JSON, bad base64, a bad method).
    package static func invalidEvent(_ detail: String) -> LambdaErrorReport {
        LambdaErrorReport(type: "Runtime.InvalidEvent", message: detail)
    }
}
