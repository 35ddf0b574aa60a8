import DynamoDBStore
import HTTPClient
import HTTPTypes
import Sockets
import Testing
import TestSupport
import VisitStore

/// The store over TLS: stunnel with a test-made CA in front of moto.
@Suite("DynamoDB over TLS")
struct TLSTests {
    static func client(port: UInt16, host: String, caBundle: String) -> DynamoDBClient {
        DynamoDBClient(configuration: .init(endpoint: DynamoDBEndpoint(secure: true, host: host, port: port), region: "us-east-1",
                                            credentials: DynamoDBVisitStoreTests.credentials, caBundle: caBundle, callTimeout: .seconds(3),
                                            retry: RetryPolicy(maxAttempts: 1)))
    }

    @Test("trusted through AWS_CA_BUNDLE, verified for its name, kept alive across calls")
    func trusted() async throws {
        let motoPort = try await MotoServer.shared().port
        let tls = try await onOwnThread { try TLSTerminator(forwardingTo: motoPort) }
        let client = Self.client(port: tls.port, host: "localhost", caBundle: tls.caFile)
        try await client.createVisitsTable("tls-visits", deadline: .after(.seconds(20)))
        let store = DynamoDBVisitStore(client: client, table: "tls-visits")
        for expected in 1...5 { #expect(try await store.increment(region: "us-east-1").total == expected) }
        try await store.checkHealth(deadline: .after(.seconds(2)))
    }

    @Test("a certificate for another name is refused, before any request is sent")
    func wrongHostName() async throws {
        let motoPort = try await MotoServer.shared().port
        let tls = try await onOwnThread { try TLSTerminator(forwardingTo: motoPort) }
        // The certificate names `localhost`; 127.0.0.1 is not in it.
        let store = DynamoDBVisitStore(client: Self.client(port: tls.port, host: "127.0.0.1", caBundle: tls.caFile), table: "visits")
        do {
            _ = try await store.counts()
            Issue.record("accepted a certificate for another name")
        } catch {
            #expect("\(error)".contains("refused the TLS certificate"), "\(error)")
        }
    }

    @Test("a certificate from a CA that is not trusted is refused")
    func untrustedCA() async throws {
        let motoPort = try await MotoServer.shared().port
        let tls = try await onOwnThread { try TLSTerminator(forwardingTo: motoPort) }
        let store = DynamoDBVisitStore(client: Self.client(port: tls.port, host: "localhost", caBundle: tls.otherCAFile), table: "visits")
        do {
            _ = try await store.counts()
            Issue.record("accepted an untrusted certificate")
        } catch {
            #expect("\(error)".contains("refused the TLS certificate"), "\(error)")
            #expect("\(error)".contains("certificate"))
        }
    }

    @Test("a CA bundle that cannot be read is a clear error")
    func missingBundle() async throws {
        let store = DynamoDBVisitStore(client: Self.client(port: 1, host: "localhost", caBundle: "/nonexistent/ca.pem"), table: "visits")
        do {
            _ = try await store.counts()
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("/nonexistent/ca.pem"), "\(error)")
        }
    }
}
