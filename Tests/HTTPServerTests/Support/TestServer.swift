import TestSupport
import Dispatch
import HTTPCore
import HTTPServer
import Logging
import Synchronization

/// Runs `body` against a real server on 127.0.0.1 port 0 with `responder`, then shuts it down.
func withTestServer<R>(
    _ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    responder: any HTTPResponder = TestResponders.echo,
    _ body: (HTTPServer, UInt16) throws -> R
) throws -> R {
    var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, loopCount: 2)
    configuration.sweepInterval = .milliseconds(20)
    configure(&configuration)
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let server = HTTPServer(configuration: configuration, responder: responder, logger: logger)
    let address = try server.start()
    defer { server.shutdown() }
    return try body(server, address.port)
}

enum TestResponders {
    /// Answers with the method, path and body it got; `/boom` throws; `/stream` streams. These
    /// handlers never wait, so the server answers them without a task; the same under `/later/`
    /// first wait (`Task.yield`), so they are answered from a task on the loop.
    static let echo: any HTTPResponder = {
        var router = RouterBuilder()
        router.get("/health") { _ in .json(#"{"status":"ok"}"#) }
        router.get("/boom") { _ in throw TestFailure() }
        router.get("/stream") { _ in
            Response(status: .ok, body: .stream(BodyStream { writer in
                for index in 0..<3 { try await writer.write(Array("part\(index);".utf8)) }
            }))
        }
        router.get("/teapot") { _ in throw HTTPError(.init(code: 418, reasonPhrase: "I'm a teapot"), message: "short and stout") }
        router.get("/later/health") { _ in await Task.yield(); return .json(#"{"status":"ok"}"#) }
        router.get("/later/boom") { _ in await Task.yield(); throw TestFailure() }
        router.get("/later/teapot") { _ in await Task.yield(); throw HTTPError(.init(code: 418, reasonPhrase: "I'm a teapot"), message: "short and stout") }
        router.get("/later/stream") { _ in
            await Task.yield()
            return Response(status: .ok, body: .stream(BodyStream { writer in
                for index in 0..<3 { try await writer.write(Array("part\(index);".utf8)) }
            }))
        }
        for method: HTTPRequestMethod in [.get, .post, .put] {
            router.on(method, "/echo/*") { request in
                .text("\(request.head.method.rawValue) \(request.head.path ?? "") \(String(decoding: request.body, as: UTF8.self))")
            }
        }
        return router.build()
    }()

    struct TestFailure: Error {}
}

import HTTPTypes
typealias HTTPRequestMethod = HTTPRequest.Method
