import HTTPCore
import HTTPTypes
import Logging
import VisitStore

/// What an error becomes: JSON under `/api/` and for `/health`, a page from `Templates/`
/// (`not-found` or `error`) for people. A store failure is 503 and anything unexpected 500;
/// neither shows internals to the client, and both are logged with the request id that the
/// answer carries too.
struct ErrorPages: ErrorRenderer {
    let pages: PageTemplates
    let logger: Logger

    func response(for error: any Error, to request: Request) -> Response {
        let id = request.requestID ?? ""
        switch error {
        case let error as HTTPError:
            var response = page(for: request, status: error.status, message: error.message)
            response.head.headerFields.append(contentsOf: error.headerFields)
            return response
        case let error as VisitStoreError:
            logger.error("visit store failed", metadata: ["request_id": "\(id)", "error": "\(error)"])
            return page(for: request, status: .serviceUnavailable, message: "The visit counter is unavailable right now. Please try again shortly.")
        default:
            logger.error("request failed", metadata: ["request_id": "\(id)", "error": "\(error)"])
            return page(for: request, status: .internalServerError, message: "Something went wrong on our side.")
        }
    }

    func page(for request: Request, status: HTTPResponse.Status, message: String) -> Response {
        let id = request.requestID ?? ""
        let path = request.path
        var response: Response
        if AppRoutes.isAPI(path) || path == "/health" {
            let body = JSONText.object([("error", JSONText.string(message)), ("status", String(status.code)), ("requestId", JSONText.string(id))])
            response = Response.json(body, status: status)
        } else {
            let template = status == .notFound ? "not-found" : "error"
            let html = pages.render(template, PageContext.error(status: status.code, title: status.reasonPhrase, message: message, requestID: id, path: String(path)))
            response = Response(status: status, contentType: "text/html; charset=utf-8", bytes: html)
        }
        response.head.headerFields.append(AppRoutes.noStore)
        return response
    }
}
