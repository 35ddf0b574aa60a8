import HTTPCore
import HTTPTypes
import Logging
import Timekeeping

/// One line per request at `info`: method, path, status, bytes, microseconds, peer and request
/// id. The app leaves it out when the log level is above `info`, so that it then costs nothing.
struct AccessLog: Middleware {
    let logger: Logger

    func prepare(_ request: inout Request) throws -> Response? {
        request.receivedAt = .now()
        return nil
    }

    func finish(_ response: inout Response, for request: Request) {
        guard let start = request.receivedAt else { return }
        let elapsed = MonotonicTime.now() - start
        logger.info("\(request.head.method.rawValue) \(request.head.path ?? "/") \(response.head.status.code)", metadata: [
            "request_id": "\(request.requestID ?? "")",
            "bytes": "\(response.body.count.map(String.init) ?? "stream")",
            "us": "\(elapsed.microseconds)",
            "peer": "\(request.peer ?? "-")",
        ])
    }
}
