import Glibc
import HTTPTypes

/// Answers requests: runs the middleware's `prepare`, finds the route for the method and path
/// (once), runs its immediate handler, or hands back its waiting one to be awaited, and runs the
/// middleware's `finish` on whatever answered. Built by `RouterBuilder`, then immutable.
///
/// `HEAD` is answered by the `GET` handler when there is no `HEAD` route (front-ends drop the body
/// and keep its length, RFC 9110 §9.3.2). A path that matches with another method throws 405 with
/// `Allow`; no match throws 404. Both are `HTTPError`s, rendered by the `ErrorRenderer` like any
/// error a handler or middleware throws.
public struct Router: HTTPResponder {
    private let staticRoutes: [String: RouterBuilder.Route]
    private let patternRoutes: [RouterBuilder.Route]
    /// Each middleware's `prepare`, outermost first.
    private let preparing: [Preparation]
    /// Each middleware's `finish`, innermost first.
    private let finishing: [Finishing]
    private let renderer: any ErrorRenderer

    init(routes: [RouterBuilder.Route], middleware: [any Middleware], renderer: any ErrorRenderer) {
        var statics: [String: RouterBuilder.Route] = [:]
        var patterns: [RouterBuilder.Route] = []
        for route in routes {
            if route.pattern.isStatic {
                statics[route.pattern.staticKey] = route
            } else {
                patterns.append(route)
            }
        }
        self.staticRoutes = statics
        self.patternRoutes = patterns
        self.preparing = middleware.map { Self.preparation(of: $0) }
        self.finishing = middleware.reversed().map { Self.finishing(of: $0) }
        self.renderer = renderer
    }

    public func dispatch(_ request: consuming Request) -> Dispatch {
        var response: Response
        do {
            switch try answerWithoutWaiting(&request) {
            case .answered(let answer): response = answer
            case .waiting(let handler): return .waiting(PendingResponse { [self, request] in await wait(for: handler, request) })
            }
        } catch {
            response = renderer.response(for: error, to: request)
        }
        finish(&response, for: request)
        return .answered(response)
    }

    private enum Step {
        case answered(Response)
        case waiting(RouterBuilder.Handler)
    }

    /// The middleware's `prepare`, then the route found once: its answer if it can give one now,
    /// else the handler to await.
    private func answerWithoutWaiting(_ request: inout Request) throws -> Step {
        for prepare in preparing {
            if let answer = try prepare(&request) { return .answered(answer) }
        }
        switch try handlers(for: &request) {
        case .immediate(let handler):
            return .answered(try handler(request))
        case .either(let immediate, let handler):
            return try immediate(request).map(Step.answered) ?? .waiting(handler)
        case .waiting(let handler):
            return .waiting(handler)
        }
    }

    /// The waiting half of `dispatch`: the route's handler awaited, then the same `finish`.
    private func wait(for handler: RouterBuilder.Handler, _ request: Request) async -> Response {
        var response: Response
        do {
            response = try await handler(request)
        } catch {
            response = renderer.response(for: error, to: request)
        }
        finish(&response, for: request)
        return response
    }

    private func finish(_ response: inout Response, for request: Request) {
        for finish in finishing { finish(&response, request) }
    }

    typealias Preparation = @Sendable (inout Request) throws -> Response?
    typealias Finishing = @Sendable (inout Response, Request) -> Void

    // Closures made once around each middleware's concrete type: calling a method of an
    // `any Middleware` in an array copies the existential out of it on every request (some 70
    // instructions a call, eight calls a request).
    private static func preparation<M: Middleware>(of middleware: M) -> Preparation {
        { request in try middleware.prepare(&request) }
    }

    private static func finishing<M: Middleware>(of middleware: M) -> Finishing {
        { response, request in middleware.finish(&response, for: request) }
    }

    /// No route for the path, or none for the method: 404 or 405, whatever the body.
    public func refusesRegardlessOfBody(_ request: Request) -> Bool {
        var request = request
        return (try? handlers(for: &request)) == nil
    }

    /// The handlers of the matching route and method, with the path parameters put in `request`;
    /// throws 404 or 405.
    private func handlers(for request: inout Request) throws(HTTPError) -> RouterBuilder.Handlers {
        let path = request.path
        if let route = staticRoutes[Self.normalized(path)] {
            return try Self.handlers(of: route, for: request.head.method)
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        for route in patternRoutes {
            if let parameters = route.pattern.match(parts) {
                request.parameters = parameters
                return try Self.handlers(of: route, for: request.head.method)
            }
        }
        throw HTTPError(.notFound)
    }

    private static func handlers(of route: RouterBuilder.Route, for method: HTTPRequest.Method) throws(HTTPError) -> RouterBuilder.Handlers {
        if let handlers = route.handlers(for: method) ?? (method == .head ? route.handlers(for: .get) : nil) {
            return handlers
        }
        throw HTTPError.methodNotAllowed(allowed: allowed(route))
    }

    /// The methods a route answers, with `HEAD` wherever `GET` is, in a stable order.
    static func allowed(_ route: RouterBuilder.Route) -> [HTTPRequest.Method] {
        var methods = Set(route.handlers.map(\.method.rawValue))
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted().compactMap { HTTPRequest.Method($0) }
    }

    /// `/a/b/` and `//a/b` look up as `/a/b`; `/` stays `/`.
    static func normalized(_ path: Substring) -> String {
        var path = path
        let clean = path.withUTF8 { bytes in
            guard let base = bytes.baseAddress, let last = bytes.last else { return true }
            if last == UInt8(ascii: "/") && bytes.count > 1 { return false }
            // From one '/' to the next with memchr: a path has few, and none may follow another.
            var index = 0
            while let found = memchr(base + index, Int32(UInt8(ascii: "/")), bytes.count - index) {
                let slash = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                if slash + 1 < bytes.count && bytes[slash + 1] == UInt8(ascii: "/") { return false }
                index = slash + 1
                if index >= bytes.count { break }
            }
            return true
        }
        if clean { return String(path) }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return "/" + parts.joined(separator: "/")
    }
}
