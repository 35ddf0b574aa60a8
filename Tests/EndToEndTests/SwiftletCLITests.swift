import Glibc
import Sockets
import TestSupport
import Testing

/// The built `swiftlet` executable, run as a user would: bad settings, durability, stopping.
@Suite("swiftlet command line", .serialized)
struct SwiftletCLITests {
    static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()
    /// Next to the test bundle: `.build/debug/swiftlet`.
    static let binary: String = {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let executable = String(decoding: buffer[0..<max(length, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(executable[..<(executable.lastIndex(of: "/") ?? executable.startIndex)]) + "/swiftlet"
    }()
    static let folders = ["--public-folder", root + "/Public", "--templates-folder", root + "/Templates"]

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32?, error: String) {
        let child = try ChildProcess(Self.binary, arguments, environment: environment)
        let status = child.wait(timeout: .seconds(20))
        return (status, child.standardError)
    }

    /// Starts `serve` on a free port and returns the process and the port it logged; `command`
    /// runs the binary through another program (its last element is the binary).
    func startServer(_ arguments: [String] = [], environment: [String: String] = [:], command: [String] = [binary]) throws -> (ChildProcess, UInt16) {
        let child = try ChildProcess(command[0], Array(command.dropFirst()) + ["serve", "--port", "0"] + Self.folders + arguments, environment: environment)
        let log = try #require(child.waitForError(containing: "listening on http://127.0.0.1:"), "no start line: \(child.standardError)")
        let after = log[log.firstRange(of: "listening on http://127.0.0.1:")!.upperBound...]
        let port = try #require(UInt16(String(after.prefix { $0.isNumber })))
        return (child, port)
    }

    @Test(arguments: [
        (["serve", "--port", "99999"], [String: String](), "--port=99999 is not valid: expected a port number from 0 to 65535"),
        (["serve", "--port", "-1"], [:], "--port=-1 is not valid: expected a port number from 0 to 65535"),
        (["serve", "--loops", "0"], [:], "--loops=0 is not valid"),
        (["nosuchcommand"], [:], "unknown command 'nosuchcommand': the commands are serve, lambda, assets, create-table (see swiftlet --help)"),
        (["serve", "--host", "nosuch.invalid"], [:], "cannot resolve the host 'nosuch.invalid'"),
        (["serve", "--store", "dynamodb"], ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret"], "the DynamoDB store needs AWS_REGION"),
        (["serve", "--store", "bogus"], [:], "--store=bogus is not valid: expected sqlite, dynamodb, postgres, redis or memory"),
        (["serve"], ["SWIFTLET_STORE": "nope"], "SWIFTLET_STORE=nope is not valid"),
        (["serve"], ["PORT": "http"], "PORT=http is not valid"),
        (["serve"], ["LOG_LEVEL": "loud"], "LOG_LEVEL=loud is not valid"),
        (["serve", "--host", "not an address"], [:], "not an address"),
        (["serve", "--templates-folder", "/nonexistent"], [:], "/nonexistent"),
        (["serve", "--bogus-flag"], [:], "--bogus-flag' (see swiftlet --help)"),
        (["serve"], ["SWIFTLET_ORIGIN_SECRET": "hunter2"], "SWIFTLET_ORIGIN_SECRET is not valid: value 1 of 1 has 7 characters; each comma-separated value needs at least 16"),
        (["serve"], ["SWIFTLET_ORIGIN_SECRET": "0123456789abcdef0123,"], "value 2 of 2 has 0 characters"),
        (["serve"], ["SWIFTLET_CORS_ORIGINS": "example.com"], "SWIFTLET_CORS_ORIGINS=example.com is not valid: 'example.com' is not an origin"),
        (["serve", "--store", "redis"], [:], "the Redis store needs SWIFTLET_REDIS_URL"),
        (["serve", "--store", "postgres"], [:], "the PostgreSQL store needs SWIFTLET_POSTGRES_URL"),
        (["serve", "--store", "postgres"], ["SWIFTLET_POSTGRES_URL": "postgres://u:hunter2@h/d?sslmode=prefer"], "sslmode=prefer is not one the store speaks"),
        (["serve", "--store", "postgres"], ["SWIFTLET_POSTGRES_URL": "postgres://u@h/d?sslmode=disable", "SWIFTLET_POSTGRES_IAM": "1"], "SWIFTLET_POSTGRES_IAM=1 needs TLS"),
        (["serve", "--store", "postgres"], ["SWIFTLET_POSTGRES_URL": "postgres://u@h/d", "SWIFTLET_TABLE": "visits; drop"], "SWIFTLET_TABLE=visits; drop is not valid"),
        (["serve", "--store", "redis"], ["SWIFTLET_REDIS_URL": "http://h"], "SWIFTLET_REDIS_URL is not valid: it must start with redis:// or rediss://"),
        (["serve", "--store", "redis"], ["SWIFTLET_REDIS_URL": "redis://u:hunter2@h:bad"], "SWIFTLET_REDIS_URL is not valid: the port must be"),
        (["serve", "--store", "redis"], ["SWIFTLET_REDIS_URL": "redis://app@h", "SWIFTLET_REDIS_IAM": "1"], "SWIFTLET_REDIS_IAM=1 needs TLS"),
        (["serve", "--store", "redis"], ["SWIFTLET_REDIS_URL": "rediss://app@c.serverless.use1.cache.amazonaws.com:6380"], "port 6380"),
    ])
    func badSettingsAreOneLineAndNonZero(arguments: [String], environment: [String: String], mentions: String) throws {
        let folder = TemporaryFolder()
        var env = environment
        env["SWIFTLET_SQLITE_PATH"] = folder.file("db.sqlite")
        let (status, error) = try run(arguments + (arguments.contains("--templates-folder") ? [] : Self.folders), environment: env)
        #expect(status != 0 && status != nil)
        let lines = error.split(separator: "\n")
        #expect(lines.count == 1, "\(error)")
        #expect(error.contains(mentions), "\(error)")
        if let secret = environment["SWIFTLET_ORIGIN_SECRET"] { #expect(!error.contains(secret), "a secret never reaches a log") }
        #expect(!error.contains("hunter2"), "a password never reaches a log")
    }

    @Test func aPortInUseIsOneLine() throws {
        let listener = try Socket.listening(on: .ipv4(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        let port = try listener.localAddress().port
        let folder = TemporaryFolder()
        let (status, error) = try run(["serve", "--port", "\(port)", "--sqlite-path", folder.file("db.sqlite")] + Self.folders)
        #expect(status == 1)
        #expect(error == "swiftlet: error: cannot listen on 127.0.0.1:\(port): the port is already in use\n")
    }

    @Test func aCorruptDatabaseIsOneLine() throws {
        let folder = TemporaryFolder()
        let garbage = Array(String(repeating: "garbage ", count: 512).utf8)
        folder.write("db.sqlite", garbage)
        let (status, error) = try run(["serve", "--port", "0", "--sqlite-path", folder.file("db.sqlite")] + Self.folders)
        #expect(status == 1)
        #expect(error.split(separator: "\n").count == 1)
        #expect(error.contains("is not a database or is damaged"), "\(error)")
        #expect(error.contains(folder.file("db.sqlite")), "the message names the file: \(error)")
        #expect(readFile(folder.file("db.sqlite")) == garbage, "the file was touched")
    }

    /// Every increment that was answered is still there after `kill -9`.
    @Test func answeredIncrementsSurviveKill9() throws {
        let folder = TemporaryFolder()
        let environment = ["SWIFTLET_SQLITE_PATH": folder.file("data/visits.sqlite"), "LOG_LEVEL": "notice"]
        let (server, port) = try startServer(environment: environment)
        var last = ""
        do {
            let client = try RawClient(port: port)
            for _ in 0..<50 { last = try #require(try client.request("POST", "/api/visits")).text }
        }
        #expect(last == #"{"visits":50,"regions":{"local":50}}"#)
        server.signal(SIGKILL)
        #expect(server.wait() == 128 + SIGKILL)

        let (again, newPort) = try startServer(environment: environment)
        defer { again.signal(SIGKILL) }
        let client = try RawClient(port: newPort)
        #expect(try client.request("GET", "/api/visits")?.text == #"{"visits":50,"regions":{"local":50}}"#)
    }

    /// `rm -rf data/` under a running server: the next visit puts the file back with every visit
    /// so far and is counted in it, a warning says what happened, and a restart finds them all.
    @Test func theDataFolderRemovedWhileServingLosesNoVisit() throws {
        let folder = TemporaryFolder()
        let environment = ["SWIFTLET_SQLITE_PATH": folder.file("data/visits.sqlite")]
        let (server, port) = try startServer(environment: environment)
        do {
            let client = try RawClient(port: port)
            for _ in 0..<3 { _ = try client.request("POST", "/api/visits") }
            #expect(system("rm -rf '\(folder.file("data"))'") == 0)
            let answer = try #require(try client.request("POST", "/api/visits"))
            #expect(answer.status == 200)
            #expect(answer.text == #"{"visits":4,"regions":{"local":4}}"#)
            #expect(try client.request("GET", "/health")?.status == 200)
        }
        server.signal(SIGTERM)
        #expect(server.wait(timeout: .seconds(15)) == 0)
        #expect(server.standardError.contains("warning") && server.standardError.contains("was removed or moved while in use"), "\(server.standardError)")

        let (again, newPort) = try startServer(environment: environment)
        defer { again.signal(SIGKILL) }
        #expect(try RawClient(port: newPort).request("GET", "/api/visits")?.text == #"{"visits":4,"regions":{"local":4}}"#)
    }

    @Test func sigtermStopsGracefullyWithExitZero() throws {
        let folder = TemporaryFolder()
        let (server, port) = try startServer(["--store", "memory"], environment: ["SWIFTLET_SQLITE_PATH": folder.file("x.sqlite")])
        let client = try RawClient(port: port)
        #expect(try client.request("GET", "/health")?.status == 200)
        server.signal(SIGTERM)
        #expect(server.wait(timeout: .seconds(15)) == 0)
        #expect(server.standardError.contains("stopped"))
    }

    @Test func assetsCommandWritesTheExport() throws {
        let folder = TemporaryFolder()
        let child = try ChildProcess(Self.binary, ["assets", folder.file("out"), "--public-folder", Self.root + "/Public"])
        #expect(child.wait() == 0)
        let output = child.standardOutput
        #expect(output.contains("Cache-Control: public, max-age=31536000, immutable"))
        #expect(output.contains("Content-Type: text/css; charset=utf-8"))
        #expect(output.contains(".css.gz\tContent-Type: text/css; charset=utf-8\tCache-Control: public, max-age=31536000, immutable\tContent-Encoding: gzip"))
        #expect(access(folder.file("out/manifest.json"), F_OK) == 0)
    }
}
