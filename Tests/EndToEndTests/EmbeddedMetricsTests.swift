import Glibc
import JSON
import Sockets
import TestSupport
import Testing

/// The binary as Lambda runs it prints one Embedded Metric Format object per invocation on
/// standard output, each checked against the specification ("Specification: Embedded metric
/// format", CloudWatch User Guide) as strictly as CloudWatch reads it.
@Suite("EMF metrics under Lambda", .serialized)
struct EmbeddedMetricsTests {
    /// The units the specification allows.
    static let units: Set<String> = [
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits",
        "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
        "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
        "Terabits/Second", "Count/Second", "None",
    ]

    /// One EMF object, checked: the `_aws` metadata, the directive, a string root member for each
    /// dimension and a number for each metric. Returns the metrics by name and the root object.
    static func validate(_ line: Substring, sourceLocation: SourceLocation = #_sourceLocation) throws -> (metrics: [String: Double], root: JSONValue) {
        let root = try JSONValue.parse(Array(line.utf8))
        let aws = try #require(root["_aws"]?.object, "no _aws object: \(line)", sourceLocation: sourceLocation)
        #expect(Set(aws.members.map(\.key)) == ["Timestamp", "CloudWatchMetrics"], "\(line)", sourceLocation: sourceLocation)
        let timestamp = try #require(aws["Timestamp"]?.int, "Timestamp is not an integer: \(line)", sourceLocation: sourceLocation)
        let now = Int(time(nil)) * 1000
        #expect(abs(timestamp - now) < 120_000, "Timestamp is milliseconds since the epoch, now: \(timestamp)", sourceLocation: sourceLocation)
        let directives = try #require(aws["CloudWatchMetrics"]?.array, sourceLocation: sourceLocation)
        #expect(directives.count == 1, sourceLocation: sourceLocation)
        let directive = try #require(directives.first, sourceLocation: sourceLocation)
        #expect(directive["Namespace"]?.string == "Swiftlet", sourceLocation: sourceLocation)
        let dimensionSets = try #require(directive["Dimensions"]?.array, sourceLocation: sourceLocation)
        #expect(dimensionSets.count == 1, sourceLocation: sourceLocation)
        let dimensions = try #require(dimensionSets.first?.array, sourceLocation: sourceLocation).map { $0.string }
        #expect(dimensions == ["FunctionName", "Region"], sourceLocation: sourceLocation)
        for case let name? in dimensions {
            let value = try #require(root[name]?.string, "dimension \(name) has no string member", sourceLocation: sourceLocation)
            #expect(!value.isEmpty && value.utf8.count <= 1024, sourceLocation: sourceLocation)
        }
        let definitions = try #require(directive["Metrics"]?.array, sourceLocation: sourceLocation)
        #expect(!definitions.isEmpty && definitions.count <= 100, sourceLocation: sourceLocation)
        var metrics: [String: Double] = [:]
        for definition in definitions {
            let name = try #require(definition["Name"]?.string, "a metric without Name: \(line)", sourceLocation: sourceLocation)
            #expect(!name.isEmpty && name.utf8.count <= 1024, sourceLocation: sourceLocation)
            let unit = try #require(definition["Unit"]?.string, "\(name) has no Unit", sourceLocation: sourceLocation)
            #expect(units.contains(unit), "\(name): unit \(unit)", sourceLocation: sourceLocation)
            #expect(metrics[name] == nil, "\(name) defined twice", sourceLocation: sourceLocation)
            guard case .number(let text)? = root[name], let value = Double(text) else {
                Issue.record("metric \(name) has no number value: \(line)", sourceLocation: sourceLocation)
                continue
            }
            #expect(value >= 0, "\(name) = \(value)", sourceLocation: sourceLocation)
            metrics[name] = value
        }
        return (metrics, root)
    }

    static func event(_ method: String, _ path: String) -> String {
        #"{"version":"2.0","rawPath":"\#(path)","rawQueryString":"","headers":{"host":"x.lambda-url.us-west-2.on.aws"},"requestContext":{"http":{"method":"\#(method)","path":"\#(path)","sourceIp":"198.51.100.1"}},"isBase64Encoded":false}"#
    }

    static let keepWarm = #"{"version":"0","id":"1","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"2026-12-07T10:00:00Z","region":"us-west-2","resources":[],"detail":{}}"#

    /// Runs the task root's bootstrap over `events`, stops it, and returns its standard output and error.
    func run(_ events: [String], environment extra: [String: String] = [:]) throws -> (ids: [String], stdout: String, stderr: String, answers: [FakeRuntimeAPI.Answer]) {
        let root = try LambdaCLITests.TaskRoot()
        let api = try FakeRuntimeAPI()
        defer { api.stop() }
        let ids = events.map { api.enqueue($0) }
        var environment = LambdaCLITests().environment(root, api, ["AWS_LAMBDA_FUNCTION_NAME": "swiftlet-test", "AWS_LAMBDA_LOG_FORMAT": "JSON"])
        environment.merge(extra) { $1 }
        let child = try ChildProcess(root.bootstrap, [], environment: environment)
        var answers: [FakeRuntimeAPI.Answer] = []
        for id in ids { answers.append(try #require(api.answer(for: id), "\(child.standardError)")) }
        #expect(api.waitForNextCalls(ids.count + 1))
        child.signal(SIGTERM)
        #expect(child.wait() == 0, "\(child.standardError)")
        #expect(api.violations.isEmpty, "\(api.violations)")
        return (ids, child.standardOutput, child.standardError, answers)
    }

    @Test("one valid EMF object per invocation: init duration first, response and store time, visits, status class")
    func oneObjectPerInvocation() throws {
        let (ids, stdout, stderr, _) = try run([Self.event("GET", "/"), Self.event("POST", "/api/visits"), Self.event("GET", "/nope"), Self.keepWarm])
        let lines = stdout.split(separator: "\n")
        #expect(lines.count == 4, "one line per invocation: \(stdout)")
        #expect(!stderr.contains("_aws"), "metrics go to stdout, apart from the log")
        var records: [(metrics: [String: Double], root: JSONValue)] = []
        for line in lines { records.append(try Self.validate(line)) }
        try #require(records.count == 4)
        for (index, record) in records.enumerated() {
            #expect(record.root["FunctionName"]?.string == "swiftlet-test")
            #expect(record.root["Region"]?.string == "us-west-2")
            #expect(record.root["RequestId"]?.string == ids[index])
            for name in ["ResponseTime", "StoreTime", "VisitsCounted", "StoreErrors"] { #expect(record.metrics[name] != nil, "\(index): \(name)") }
            #expect((record.metrics["InitDuration"] != nil) == (index == 0), "init duration on the first invocation only")
            #expect(record.metrics["StoreErrors"] == 0)
        }
        let (home, post, missing, warm) = (records[0].metrics, records[1].metrics, records[2].metrics, records[3].metrics)
        #expect(home["VisitsCounted"] == 1 && post["VisitsCounted"] == 1 && missing["VisitsCounted"] == 0 && warm["VisitsCounted"] == 0)
        #expect(home["Status2xx"] == 1 && home["Status4xx"] == 0 && home["Status3xx"] == 0 && home["Status5xx"] == 0)
        #expect(missing["Status4xx"] == 1 && missing["Status2xx"] == 0)
        #expect(warm["Status2xx"] == nil, "a keep-warm ping is no HTTP answer")
        #expect(records[3].root["Event"]?.string == "keep-warm")
        let initMs = try #require(home["InitDuration"])
        #expect(initMs > 0 && initMs < 10_000)
        #expect(home["ResponseTime"]! > 0 && home["ResponseTime"]! >= home["StoreTime"]!)
    }

    @Test("a store that fails: StoreErrors and Status5xx")
    func storeErrors() throws {
        // A port nothing listens on: each DynamoDB call is refused.
        let closed = try Socket.listening(on: .ipv4(host: "127.0.0.1", port: 0))
        let port = try closed.localAddress().port
        closed.close()
        let (_, stdout, _, answers) = try run([Self.event("POST", "/api/visits")], environment: [
            "SWIFTLET_STORE": "dynamodb", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret",
            "SWIFTLET_DYNAMODB_ENDPOINT": "http://127.0.0.1:\(port)",
        ])
        #expect(answers.first?.json?["statusCode"]?.int == 503)
        let lines = stdout.split(separator: "\n")
        try #require(lines.count == 1, "\(stdout)")
        let record = try Self.validate(lines[0])
        #expect(record.metrics["StoreErrors"] == 1)
        #expect(record.metrics["VisitsCounted"] == 0)
        #expect(record.metrics["Status5xx"] == 1)
    }

    @Test("SWIFTLET_METRICS=off prints nothing")
    func off() throws {
        let (_, stdout, _, answers) = try run([Self.event("GET", "/")], environment: ["SWIFTLET_METRICS": "off"])
        #expect(answers.first?.json?["statusCode"]?.int == 200)
        #expect(stdout.isEmpty, "\(stdout)")
    }
}
