// The Hummingbird 2 peer: GET / renders Templates/home with swift-mustache after counting a visit,
// GET/POST /api/visits read or count, all over the same SQLite statements swiftlet runs.
//   HummingbirdPeer <port> <templates-dir> <manifest.json> <sqlite-path>
import CSQLitePeer
import Foundation
import HTTPTypes
import Hummingbird
import Mustache

let arguments = CommandLine.arguments
let port = Int(arguments[1])!
let templatesDirectory = arguments[2]
let manifestPath = arguments[3]
let databasePath = arguments[4]
let region = ProcessInfo.processInfo.environment["AWS_REGION"] ?? "local"

/// The same schema, pragmas and statements as SQLiteVisitStore.
final class VisitDatabase: @unchecked Sendable {
    private var db: OpaquePointer?
    private let lock = NSLock()
    private var increment: OpaquePointer?
    private var select: OpaquePointer?
    private var begin: OpaquePointer?
    private var commit: OpaquePointer?

    init(path: String) {
        precondition(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK)
        sqlite3_busy_timeout(db, 2000)
        sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE IF NOT EXISTS visits (region TEXT PRIMARY KEY NOT NULL, count INTEGER NOT NULL CHECK (count >= 0)) STRICT", nil, nil, nil)
        sqlite3_prepare_v3(db, "INSERT INTO visits (region, count) VALUES (?1, 1) ON CONFLICT (region) DO UPDATE SET count = count + 1", -1, UInt32(SQLITE_PREPARE_PERSISTENT), &increment, nil)
        sqlite3_prepare_v3(db, "SELECT region, count FROM visits", -1, UInt32(SQLITE_PREPARE_PERSISTENT), &select, nil)
        sqlite3_prepare_v3(db, "BEGIN IMMEDIATE", -1, UInt32(SQLITE_PREPARE_PERSISTENT), &begin, nil)
        sqlite3_prepare_v3(db, "COMMIT", -1, UInt32(SQLITE_PREPARE_PERSISTENT), &commit, nil)
    }

    private func readCounts() -> [String: Int] {
        var result: [String: Int] = [:]
        while sqlite3_step(select) == SQLITE_ROW {
            result[String(cString: sqlite3_column_text(select, 0))] = Int(sqlite3_column_int64(select, 1))
        }
        sqlite3_reset(select)
        return result
    }

    func counts() -> [String: Int] {
        lock.lock(); defer { lock.unlock() }
        return readCounts()
    }

    func count(region: String) -> [String: Int] {
        lock.lock(); defer { lock.unlock() }
        sqlite3_step(begin); sqlite3_reset(begin)
        sqlite3_bind_text(increment, 1, region, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        sqlite3_step(increment); sqlite3_reset(increment); sqlite3_clear_bindings(increment)
        let result = readCounts()
        sqlite3_step(commit); sqlite3_reset(commit)
        return result
    }
}

func json(_ counts: [String: Int]) -> String {
    let regions = counts.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
    return "{\"visits\":\(counts.values.reduce(0, +)),\"regions\":{\(regions)}}"
}

let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath))) as! [String: [String: Any]]
let assetPaths = manifest.mapValues { $0["path"] as! String }
let library = try await MustacheLibrary(directory: templatesDirectory)
let database = VisitDatabase(path: databasePath)
let ids = ManagedAtomicCounter()

final class ManagedAtomicCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}

let securityHeaders: HTTPFields = [
    HTTPField.Name("Content-Security-Policy")!: "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    HTTPField.Name("X-Content-Type-Options")!: "nosniff",
    HTTPField.Name("Referrer-Policy")!: "strict-origin-when-cross-origin",
    HTTPField.Name("X-Frame-Options")!: "DENY",
]

let router = Router()
router.get("/") { _, _ -> Response in
    let counts = database.count(region: region)
    let regions: [[String: Any]] = counts.sorted { $0.key < $1.key }.map { ["name": $0.key, "count": $0.value, "serving": $0.key == region] }
    let context: [String: Any] = [
        "title": "Swiftlet", "visits": counts.values.reduce(0, +), "regions": regions, "multipleRegions": counts.count > 1,
        "requestId": "peer-\(ids.next())", "region": region,
        "asset": MustacheLambda { name in assetPaths[name.trimmingCharacters(in: .whitespacesAndNewlines)] ?? "" },
    ]
    let html = library.render(context, withTemplate: "home") ?? ""
    var headers = securityHeaders
    headers[.contentType] = "text/html; charset=utf-8"
    headers[.cacheControl] = "no-store"
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
}
router.get("/api/visits") { _, _ -> Response in
    Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: json(database.counts()))))
}
router.post("/api/visits") { _, _ -> Response in
    Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: json(database.count(region: region)))))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
