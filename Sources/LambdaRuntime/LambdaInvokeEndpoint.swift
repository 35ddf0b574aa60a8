package import HTTPCore
import HTTPTypes

/// The dev server's stand-in for Lambda's Invoke API (`swiftlet serve --invoke-endpoint`):
/// `POST /2015-03-31/functions/function/invocations`, the path of AWS's Runtime Interface
/// Emulator, takes an event as its body, runs it through the same `Events/` code and app as the
/// runtime, and answers the JSON Lambda would return. So `curl -d @event.json` tries any Function
/// URL or API Gateway event locally. Every other request goes to the app unchanged.
package struct LambdaInvokeEndpoint: HTTPResponder {
    package static let path = "/2015-03-31/functions/function/invocations"
    /// How long an invocation may take, as the Lambda this site deploys to allows (`DESIGN.md`).
    static let timeoutMilliseconds: Int64 = 10_000

    let app: any HTTPResponder
    let handler: LambdaEventHandler

    package init(app: any HTTPResponder, handler: LambdaEventHandler) {
        self.app = app
        self.handler = handler
    }

    package func dispatch(_ request: consuming Request) -> Dispatch {
        guard request.path == Self.path else { return app.dispatch(request) }
        guard request.head.method == .post else {
            var response = Response.text("Use POST with an event as the body.\n", status: .methodNotAllowed)
            response.head.headerFields[.allow] = "POST"
            return .answered(response)
        }
        let event = request.body
        return .waiting(PendingResponse { await invoke(with: event) })
    }

    package func refusesRegardlessOfBody(_ request: Request) -> Bool {
        request.path != Self.path && app.refusesRegardlessOfBody(request)
    }

    /// What Lambda's Invoke API answers for `event`.
    func invoke(with event: [UInt8]) async -> Response {
        let invocation = Invocation(requestID: Self.newRequestID(), deadlineMilliseconds: WallClock.nowMilliseconds() + Self.timeoutMilliseconds,
                                    event: event)
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[Self.requestIDField] = invocation.requestID
        switch await handler.bufferedAnswer(to: invocation) {
        case .success(let json):
            return Response(status: .ok, headerFields: fields, body: .bytes(json))
        case .failure(let report):
            // Lambda's Invoke answers a function error with 200 and this header (Invoke API reference).
            fields[Self.functionErrorField] = "Unhandled"
            return Response(status: .ok, headerFields: fields, body: .bytes(report.json))
        }
    }

    static let requestIDField = HTTPField.Name(literal: "X-Amzn-RequestId")
    static let functionErrorField = HTTPField.Name(literal: "X-Amz-Function-Error")

    /// A random version 4 UUID, the form of Lambda's request ids.
    static func newRequestID() -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
