import HTTPClient
import HTTPCore
import HTTPTypes
package import JSON
import Sockets
import Synchronization
package import Threads
package import AWSSigning
package import Timekeeping

/// DynamoDB's JSON protocol (`application/x-amz-json-1.0`, `X-Amz-Target: DynamoDB_20120810.<Op>`),
/// signed with SigV4, over kept-alive HTTP/1.1 connections (TLS to AWS). A call is retried with
/// backoff and full jitter when that is safe: throttling always (DynamoDB refused it before
/// applying it), a 5xx or a lost answer only for reads; never past the call's deadline.
package final class DynamoDBClient: Sendable {
    /// Where DynamoDB is, who signs, and how long calls may take.
    package struct Configuration: Sendable {
        package var endpoint: DynamoDBEndpoint
        package var region: String
        package var credentials: AWSCredentials
        /// `AWS_CA_BUNDLE`: trust only this file's CAs for TLS.
        package var caBundle: String?
        /// One attempt's limit, and a call's when the request sets no deadline.
        package var callTimeout: Duration
        package var connectTimeout: Duration
        package var retry: RetryPolicy
        /// Where a call waits on its socket.
        package var blockingCalls: BlockingCalls = .workerThreads

        package init(endpoint: DynamoDBEndpoint, region: String, credentials: AWSCredentials, caBundle: String? = nil,
                    callTimeout: Duration = .seconds(2), connectTimeout: Duration = .seconds(1), retry: RetryPolicy = RetryPolicy()) {
            self.endpoint = endpoint
            self.region = region
            self.credentials = credentials
            self.caBundle = caBundle
            self.callTimeout = callTimeout
            self.connectTimeout = connectTimeout
            self.retry = retry
        }
    }

    package let configuration: Configuration
    private let signer: SigV4Signer
    private let httpConfiguration: HTTPClient.Configuration
    /// Idle clients, each with its kept-alive connection; a call takes one or makes one.
    private let idle = Mutex<[HTTPClient]>([])
    private let workers = BlockingWorkers(name: "dynamodb")

    package init(configuration: Configuration) {
        self.configuration = configuration
        signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: "dynamodb")
        let endpoint = configuration.endpoint
        httpConfiguration = endpoint.secure
            ? HTTPClient.Configuration.https(host: endpoint.host, port: endpoint.port, caBundle: configuration.caBundle, connectTimeout: configuration.connectTimeout)
            : HTTPClient.Configuration(host: endpoint.host, port: endpoint.port, connectTimeout: configuration.connectTimeout)
    }

    /// Calls `operation` with `body`, by `deadline` (the request's, else one call timeout from
    /// now); `isWrite` forbids retrying what may have been applied.
    package func call(_ operation: String, body: [UInt8], isWrite: Bool, deadline: MonotonicTime? = nil) async throws(DynamoDBError) -> JSONValue {
        let overall = deadline ?? .after(configuration.callTimeout)
        var attempt = 0
        while true {
            attempt += 1
            let remaining = overall.remaining
            guard remaining > .milliseconds(1) else { throw .deadlineExceeded }
            let attemptDeadline = MonotonicTime.after(min(remaining, configuration.callTimeout))
            let result = await perform(operation, body: body, deadline: attemptDeadline)
            let error: DynamoDBError
            switch result {
            case .success(let json): return json
            case .failure(let failure): error = failure
            }
            guard error.mayRetry(isWrite: isWrite), attempt < configuration.retry.maxAttempts else { throw error }
            let pause = configuration.retry.delay(beforeRetry: attempt)
            guard MonotonicTime.after(pause) < overall else { throw error }
            try? await Task.sleep(for: pause)
        }
    }

    /// One attempt on a pooled connection, on a thread that may block (the client waits on its
    /// socket with `poll`; an event loop or the cooperative pool must not): a worker's, or the
    /// caller's own when `blockingCalls` says it may.
    private func perform(_ operation: String, body: [UInt8], deadline: MonotonicTime) async -> Result<JSONValue, DynamoDBError> {
        let client = idle.withLock { $0.popLast() } ?? HTTPClient(configuration: httpConfiguration)
        let request = signedRequest(operation, body: body)
        let send = { @Sendable () -> Result<ClientResponse, HTTPClientError> in
            do throws(HTTPClientError) {
                return .success(try client.send(request, body: body, deadline: deadline))
            } catch {
                return .failure(error)
            }
        }
        let result = await workers.run(configuration.blockingCalls, send)
        idle.withLock { $0.append(client) }
        switch result {
        case .failure(let error):
            return .failure(.transport("\(error)", sent: error.outcomeUnknown))
        case .success(let response):
            return Self.decode(response)
        }
    }

    func signedRequest(_ operation: String, body: [UInt8]) -> HTTPRequest {
        let target = "DynamoDB_20120810.\(operation)"
        let headers: [(name: String, value: String)] = [
            ("Host", httpConfiguration.authority), ("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", target),
        ]
        let signature = signer.sign(SigV4Signer.Request(method: "POST", target: "/", headers: headers, body: body),
                                    secondsSince1970: Int(WallClock.nowMilliseconds() / 1000))
        var fields = HTTPFields()
        fields[.contentType] = "application/x-amz-json-1.0"
        fields[Self.targetField] = target
        for (name, value) in signature.headersToAdd { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/", headerFields: fields)
    }

    /// A 200 is the operation's JSON; anything else DynamoDB's error document (`__type`, `message`).
    static func decode(_ response: ClientResponse) -> Result<JSONValue, DynamoDBError> {
        let json = try? JSONValue.parse(response.body)
        let status = response.status.code
        if status == 200 {
            guard let json else { return .failure(.malformedResponse("a 200 whose body is not JSON")) }
            return .success(json)
        }
        let fullType = json?["__type"]?.string ?? "HTTP\(status)"
        let type = fullType.split(separator: "#").last.map(String.init) ?? fullType
        let message = json?["message"]?.string ?? json?["Message"]?.string ?? String(decoding: response.body.prefix(200), as: UTF8.self)
        return .failure(.service(status: status, type: type, message: message))
    }

    static let targetField = HTTPField.Name(literal: "X-Amz-Target")

    /// Creates the visits table (`pk` string partition key, `sk` string sort key, on demand) and
    /// waits until it is active; an existing table is left as it is.
    package func createVisitsTable(_ name: String, deadline: MonotonicTime) async throws(DynamoDBError) {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("TableName"); writer.string(name)
        writer.key("AttributeDefinitions"); writer.beginArray()
        for attribute in ["pk", "sk"] {
            writer.beginObject(); writer.key("AttributeName"); writer.string(attribute); writer.key("AttributeType"); writer.string("S"); writer.endObject()
        }
        writer.endArray()
        writer.key("KeySchema"); writer.beginArray()
        for (attribute, kind) in [("pk", "HASH"), ("sk", "RANGE")] {
            writer.beginObject(); writer.key("AttributeName"); writer.string(attribute); writer.key("KeyType"); writer.string(kind); writer.endObject()
        }
        writer.endArray()
        writer.key("BillingMode"); writer.string("PAY_PER_REQUEST")
        writer.endObject()
        do {
            // Safe to send again, unlike an increment: a CreateTable that was applied although its
            // answer was lost makes the retry fail with ResourceInUseException, which is success here.
            // (Marked a write, a slow first answer, as moto's first call gives while it loads its
            // DynamoDB backend, ended `create-table` with no second try.)
            _ = try await call("CreateTable", body: writer.bytes, isWrite: false, deadline: deadline)
        } catch {
            guard case .service(_, "ResourceInUseException", _) = error else { throw error }
        }
        var describe = JSONWriter()
        describe.beginObject(); describe.key("TableName"); describe.string(name); describe.endObject()
        while true {
            let table = try await call("DescribeTable", body: describe.bytes, isWrite: false, deadline: deadline)
            if table["Table"]?["TableStatus"]?.string == "ACTIVE" { return }
            guard MonotonicTime.after(.milliseconds(200)) < deadline else { throw .deadlineExceeded }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}
