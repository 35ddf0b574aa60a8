import HTTPCore
import HTTPServer
import HTTPTypes
import Logging
import SwiftletApp
import TestSupport
import Testing
import VisitStore

/// The repository's own `Templates/` and `Public/`, so tests check the pages that ship.
enum Repository {
    static let root: String = {
        var path = #filePath
        for _ in 0..<4 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()
    static let templates = root + "/Templates"
    static let publicFolder = root + "/Public"
}

/// A response as a test sees it, from the responder directly or off the wire.
struct Observed {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    var text: String { String(decoding: body, as: UTF8.self) }
    /// The body as sent before any gzip.
    var decodedBody: [UInt8] { header("Content-Encoding") == "gzip" ? inflateStream(body) ?? [] : body }
    /// Fields and (decoded) body with this response's request id taken out, to compare two
    /// answers; Content-Length goes too, since the id changes what gzip makes of the body.
    var withoutRequestID: String {
        let id = header("X-Request-Id") ?? "-"
        let fields = headers.filter { $0.0 != "X-Request-Id" && ($0.0.lowercased() != "content-length" || header("Content-Encoding") == nil) }
            .map { "\($0.0): \($0.1)" }.joined(separator: "\n")
        return fields + "\n\n" + String(decoding: decodedBody, as: UTF8.self).replacing(id, with: "<id>")
    }
}

/// The app built over `store`, callable without a socket (`direct`) or through a real server on
/// 127.0.0.1 port 0 (`overTheWire`): the two ways every contract case runs.
struct AppHarness {
    let responder: any HTTPResponder
    static var quietLogger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    init(store: any VisitStore = InMemoryVisitStore(), region: String = "us-east-1",
         templates: String = Repository.templates, publicFolder: String = Repository.publicFolder, assetExportFolder: String? = nil,
         healthCacheDuration: Duration = .seconds(1), healthTimeout: Duration = .seconds(2), originSecrets: [String] = [],
         cors: CORSPolicy? = nil) throws {
        var configuration = AppConfiguration(region: region, publicFolder: publicFolder, templatesFolder: templates,
                                             healthTimeout: healthTimeout, healthCacheDuration: healthCacheDuration, storeName: "test")
        configuration.assetExportFolder = assetExportFolder
        configuration.originSecrets = originSecrets
        configuration.cors = cors
        responder = try SwiftletApp.makeResponder(store: store, configuration: configuration, logger: Self.quietLogger)
    }

    init(responder: any HTTPResponder) {
        self.responder = responder
    }

    /// Answers as the socket server does: the one dispatch, awaited when it must be.
    func direct(_ method: HTTPRequest.Method, _ path: String, headers: [(String, String)] = [], body: String = "") async throws -> Observed {
        var fields = HTTPFields()
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        let request = Request(head: HTTPRequest(method: method, scheme: "http", authority: "127.0.0.1", path: path, headerFields: fields), body: Array(body.utf8))
        return Self.observe(await responder.answer(request))
    }

    /// Asks `requests` in turn on a thread of its own, and how long they took together: an
    /// outage test's bound must not count other suites' work on the shared pool.
    func timedOnOwnThread(_ requests: [(HTTPRequest.Method, String)]) async throws -> (elapsed: Duration, answers: [Observed]) {
        let executor = try DedicatedExecutor()
        defer { executor.stop() }
        let timed = await executor.start { () -> Result<(Duration, [Observed]), any Error> in
            let started = ContinuousClock.now
            do {
                var answers: [Observed] = []
                for (method, path) in requests { answers.append(try await direct(method, path)) }
                return .success((ContinuousClock.now - started, answers))
            } catch {
                return .failure(error)
            }
        }.value
        return try timed.get()
    }

    static func observe(_ response: Response) -> Observed {
        var bytes: [UInt8] = []
        switch response.body {
        case .empty: break
        case .bytes(let content): bytes = content
        case .file(let region): bytes = region.file.read(offset: region.offset, count: region.count) ?? []
        case .stream: Issue.record("the app streams nothing")
        }
        return Observed(status: Int(response.head.status.code), headers: response.headerFieldsWithRequestID.map { ($0.name.rawName, $0.value) }, body: bytes)
    }

    /// Runs `body` with a client connected to a real server answering with this app.
    func overTheWire<R>(_ body: (RawClient, UInt16) throws -> R) throws -> R {
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, loopCount: 2), responder: responder, logger: Self.quietLogger)
        let address = try server.start()
        defer { server.shutdown() }
        let client = try RawClient(port: address.port)
        return try body(client, address.port)
    }
}

extension RawClient.Response {
    var observed: Observed { Observed(status: status, headers: headers, body: body) }
}
