import Digest
import HTTPClient
import Sockets
import Timekeeping

/// One session with PostgreSQL: TCP, `SSLRequest` and TLS when `sslmode` asks, the startup
/// message, authentication (trust, cleartext, md5 or SCRAM-SHA-256), then statements with the
/// extended query protocol ("Extended Query", §55.2.3): `Parse` once per connection and
/// statement, then `Bind`, `Execute`, `Sync` in one write, answered in one round trip.
/// Blocking, bounded by each call's deadline. Used by one caller at a time, under its
/// `PostgresLink`'s lock (hence `@unchecked Sendable`: the lock, not the type, keeps it to one
/// thread at a time; the link hands it to the statement's closure while it holds the lock).
final class PostgresConnection: @unchecked Sendable {
    private let transport: any ClientTransport
    private let endpoint: String
    private var input: [UInt8] = []
    private var inputStart = 0
    private var prepared: Set<String> = []
    let openedAt = MonotonicTime.now()

    private init(transport: any ClientTransport, endpoint: String) {
        self.transport = transport
        self.endpoint = endpoint
    }

    deinit {
        transport.close()
    }

    var isStale: Bool { transport.isStale }

    /// Connects and authenticates by `deadline`; every failure here is `unreachable` (nothing of
    /// a caller's was sent) or the server's refusal.
    static func open(_ configuration: PostgresConfiguration, password: String?, tls: TLSContext?, deadline: MonotonicTime) throws(PostgresError) -> PostgresConnection {
        let endpoint = configuration.endpoint
        let address: SocketAddress
        do {
            address = try SocketAddress(host: configuration.host, port: configuration.port)
        } catch {
            throw .unreachable("cannot resolve \(configuration.host): \(error)")
        }
        let tcp: TCPTransport
        do throws(HTTPClientError) {
            tcp = try TCPTransport(address: address, endpoint: endpoint, deadline: deadline)
        } catch {
            throw .unreachable("\(error)")
        }
        var transport: any ClientTransport = tcp
        if let tls {
            // SSLRequest in the clear; `S` means the handshake may start, `N` that it may not.
            var answer: [UInt8] = []
            do throws(HTTPClientError) {
                try tcp.write(FrontendMessage.sslRequest, deadline: deadline)
                guard try tcp.read(appendingTo: &answer, maximum: 1, deadline: deadline) == 1 else {
                    throw HTTPClientError.connectionClosed(endpoint: endpoint)
                }
            } catch {
                throw .unreachable("\(error)")
            }
            guard answer[0] == UInt8(ascii: "S") else {
                tcp.close()
                throw .tlsRefused(endpoint)
            }
            do throws(HTTPClientError) {
                transport = try TLSTransport(over: tcp, host: configuration.host, endpoint: endpoint, context: tls, deadline: deadline)
            } catch {
                throw .unreachable("\(error)")
            }
        }
        let connection = PostgresConnection(transport: transport, endpoint: endpoint)
        do throws(PostgresError) {
            try connection.startUp(configuration, password: password, deadline: deadline)
        } catch {
            if case .outcomeUnknown(let detail) = error { throw .unreachable(detail) }
            throw error
        }
        return connection
    }

    private func startUp(_ configuration: PostgresConfiguration, password: String?, deadline: MonotonicTime) throws(PostgresError) {
        try send(FrontendMessage.startup(user: configuration.user, database: configuration.database), deadline: deadline)
        var scram: SCRAMClient?
        while true {
            let message = try receive(deadline: deadline)
            switch message.type {
            case UInt8(ascii: "R"):
                var reader = message.reader
                let code = try reader.int32()
                switch code {
                case 0: // AuthenticationOk
                    break
                case 3: // AuthenticationCleartextPassword
                    guard let password else { throw .authentication("the server asks for a password and the URL has none") }
                    try send(FrontendMessage.password(password), deadline: deadline)
                case 5: // AuthenticationMD5Password: "md5" + md5(md5(password + user) + salt)
                    guard let password else { throw .authentication("the server asks for a password and the URL has none") }
                    let salt = try reader.bytes(4)
                    let inner = Hex.lowercaseMD5(Array((password + configuration.user).utf8))
                    try send(FrontendMessage.password("md5" + Hex.lowercaseMD5(Array(inner.utf8) + salt)), deadline: deadline)
                case 10: // AuthenticationSASL: the mechanisms, NUL-separated
                    var mechanisms: [String] = []
                    while true {
                        let name = try reader.cString()
                        if name.isEmpty { break }
                        mechanisms.append(name)
                    }
                    guard mechanisms.contains("SCRAM-SHA-256") else {
                        throw .authentication("the server offers \(mechanisms.joined(separator: ", ")), and the store speaks SCRAM-SHA-256")
                    }
                    guard let password else { throw .authentication("the server asks for a password and the URL has none") }
                    var client = SCRAMClient(password: password)
                    try send(FrontendMessage.saslInitialResponse(mechanism: "SCRAM-SHA-256", client.firstMessage()), deadline: deadline)
                    scram = client
                case 11: // AuthenticationSASLContinue
                    guard var client = scram else { throw .protocolViolation("SASLContinue before SASL") }
                    try send(FrontendMessage.saslResponse(try client.finalMessage(serverFirst: reader.rest)), deadline: deadline)
                    scram = client
                case 12: // AuthenticationSASLFinal
                    guard let client = scram else { throw .protocolViolation("SASLFinal before SASL") }
                    try client.verify(serverFinal: reader.rest)
                default:
                    throw .authentication("the server asks for authentication method \(code), which the store does not speak (use scram-sha-256 in pg_hba.conf)")
                }
            case UInt8(ascii: "E"):
                throw Self.serverError(message)
            case UInt8(ascii: "Z"):
                return // ReadyForQuery: the session is open
            default:
                continue // ParameterStatus, BackendKeyData, NoticeResponse
            }
        }
    }

    /// Runs the named statement with `parameters` and returns its rows (text columns, `nil` for
    /// NULL). Before the first byte is written a failure is `unreachable`; after, `outcomeUnknown`.
    func execute(_ statement: String, sql: String, parameters: [String?], deadline: MonotonicTime) throws(PostgresError) -> [[String?]] {
        var batch: [UInt8] = []
        let parsing = !prepared.contains(statement)
        if parsing { batch += FrontendMessage.parse(statement: statement, query: sql) }
        batch += FrontendMessage.bind(statement: statement, parameters: parameters)
        batch += FrontendMessage.execute
        batch += FrontendMessage.sync
        try send(batch, deadline: deadline)
        var rows: [[String?]] = []
        var failure: PostgresError?
        while true {
            let message = try receive(deadline: deadline)
            switch message.type {
            case UInt8(ascii: "1"): // ParseComplete
                prepared.insert(statement)
            case UInt8(ascii: "D"): // DataRow
                var reader = message.reader
                let count = Int(try reader.int16())
                var row: [String?] = []
                row.reserveCapacity(count)
                for _ in 0..<count {
                    let length = Int(try reader.int32())
                    row.append(length < 0 ? nil : String(decoding: try reader.bytes(length), as: UTF8.self))
                }
                rows.append(row)
            case UInt8(ascii: "E"):
                failure = Self.serverError(message)
            case UInt8(ascii: "Z"): // ReadyForQuery: the batch is done, whatever happened in it
                if let failure { throw failure }
                return rows
            default:
                continue // BindComplete, CommandComplete, NoData, NoticeResponse, ParameterStatus
            }
        }
    }

    /// Runs `sql` with the simple query protocol (several statements allowed), for `create-table`.
    func simpleQuery(_ sql: String, deadline: MonotonicTime) throws(PostgresError) {
        try send(FrontendMessage.query(sql), deadline: deadline)
        var failure: PostgresError?
        while true {
            let message = try receive(deadline: deadline)
            if message.type == UInt8(ascii: "E") { failure = Self.serverError(message) }
            if message.type == UInt8(ascii: "Z") {
                if let failure { throw failure }
                return
            }
        }
    }

    func close() {
        try? send(FrontendMessage.terminate, deadline: .after(.milliseconds(100)))
        transport.close()
    }

    private func send(_ bytes: [UInt8], deadline: MonotonicTime) throws(PostgresError) {
        do throws(HTTPClientError) {
            try transport.write(bytes, deadline: deadline)
        } catch {
            throw .outcomeUnknown("\(error)")
        }
    }

    private func receive(deadline: MonotonicTime) throws(PostgresError) -> BackendMessage {
        while true {
            if let (message, end) = try BackendMessage.parse(input, from: inputStart) {
                inputStart = end
                if inputStart == input.count {
                    input.removeAll(keepingCapacity: true)
                    inputStart = 0
                }
                return message
            }
            if inputStart > 0 {
                input.removeFirst(inputStart)
                inputStart = 0
            }
            let count: Int
            do throws(HTTPClientError) {
                count = try transport.read(appendingTo: &input, deadline: deadline)
            } catch {
                throw .outcomeUnknown("\(error)")
            }
            guard count > 0 else { throw .outcomeUnknown("\(endpoint) closed the connection") }
        }
    }

    /// An `ErrorResponse`'s SQLSTATE (`C`) and message (`M`).
    static func serverError(_ message: BackendMessage) -> PostgresError {
        var state = "XX000"
        var text = "no message"
        var reader = message.reader
        while let code = try? reader.bytes(1).first, code != 0 {
            guard let value = try? reader.cString() else { break }
            if code == UInt8(ascii: "C") { state = value }
            if code == UInt8(ascii: "M") { text = value }
        }
        return .server(sqlState: state, message: text)
    }
}

extension Hex {
    /// MD5 in lower-case hex, the form PostgreSQL's `md5` authentication hashes and sends.
    static func lowercaseMD5(_ bytes: [UInt8]) -> String {
        Hex.lowercase(MD5.hash(bytes))
    }
}
