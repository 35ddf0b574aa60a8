import HTTPClient
import Sockets
import Synchronization
package import Threads
package import Timekeeping

/// A thin RESP2 client for one Redis endpoint, in the shape of `DynamoDBClient`: kept-alive
/// connections made on first use (none at init), every call bounded by a deadline, blocking calls
/// on the store's own threads or the caller's (`BlockingCalls`), and retries only where they are
/// safe:
/// - a read whose connection failed is retried once on a fresh connection;
/// - a write whose outcome is unknown (the connection failed after sending) is never retried:
///   `HINCRBY` is atomic but not idempotent;
/// - `MOVED` and `ASK` are followed (Redis cluster specification, "Redirection and resharding"):
///   a redirected command was not run, so even a write may be sent again, to the node named.
///   `MOVED` moves every later call there too; `ASK` only this one, after `ASKING`.
package final class RedisClient: Sendable {
    package let configuration: RedisConfiguration
    /// The password `AUTH` sends on each new connection: the configured one, or a fresh IAM token.
    private let password: @Sendable () -> String?
    private let blockingCalls: BlockingCalls
    /// Where the key lives: the configured endpoint until a `MOVED` says otherwise.
    private let primary: Mutex<RedisLink.Node>
    private let idle = Mutex<[RedisLink]>([])
    private let workers = BlockingWorkers(name: "redis")
    private let tls: Mutex<TLSContext?> = Mutex(nil)
    /// ElastiCache closes an IAM-authenticated connection after 12 hours ("Authenticating with
    /// IAM", ElastiCache User Guide, Limitations); ours are replaced before that.
    static let maximumConnectionAge: Duration = .seconds(11 * 3600)
    static let maximumRedirects = 3

    package init(configuration: RedisConfiguration, blockingCalls: BlockingCalls = .workerThreads,
                 password: (@Sendable () -> String?)? = nil) {
        self.configuration = configuration
        self.blockingCalls = blockingCalls
        let configured = configuration.password
        self.password = password ?? { configured }
        primary = Mutex(RedisLink.Node(host: configuration.host, port: configuration.port))
    }

    /// Sends `commands` as one pipeline to the node that holds the key and returns their replies,
    /// by `deadline` (the request's, else one call timeout from now).
    package func call(_ commands: [[String]], isWrite: Bool, deadline: MonotonicTime? = nil) async throws(RedisError) -> [RESPValue] {
        let overall = deadline ?? .after(configuration.callTimeout)
        var node = primary.withLock { $0 }
        var asking = false
        var redirects = 0
        var retried = false
        while true {
            guard overall.remaining > .milliseconds(1) else { throw .deadlineExceeded }
            let attemptDeadline = MonotonicTime.after(min(overall.remaining, configuration.callTimeout))
            let sent = asking ? [["ASKING"]] + commands : commands
            let result = await perform(sent, on: node, deadline: attemptDeadline)
            switch result {
            case .failure(.outcomeUnknown) where !isWrite && !retried, .failure(.unreachable) where !retried:
                // A read again on a fresh connection; a write only if nothing was sent.
                retried = true
                continue
            case .failure(let error):
                throw error
            case .success(var replies):
                if asking { replies.removeFirst() }
                if let redirect = Self.redirect(in: replies) {
                    redirects += 1
                    guard redirects <= Self.maximumRedirects else { throw .server("too many cluster redirects (last: \(redirect.message))") }
                    node = redirect.node
                    asking = redirect.isAsk
                    if !redirect.isAsk { primary.withLock { $0 = redirect.node } }
                    continue
                }
                return replies
            }
        }
    }

    /// Closes every idle connection.
    package func close() {
        for link in idle.withLock({ links in defer { links = [] }; return links }) { link.close() }
    }

    private func perform(_ commands: [[String]], on node: RedisLink.Node, deadline: MonotonicTime) async -> Result<[RESPValue], RedisError> {
        let link = idle.withLock { links -> RedisLink? in
            guard let index = links.lastIndex(where: { $0.node == node }) else { return nil }
            return links.remove(at: index)
        } ?? RedisLink(node: node)
        let configuration = configuration
        let result = await workers.run(blockingCalls) { [self] () -> Result<[RESPValue], RedisError> in
            do throws(RedisError) {
                return .success(try link.call(commands, setup: { setupCommands() }, connect: { node, deadline throws(RedisError) in
                    try connect(to: node, deadline: min(deadline, .after(configuration.connectTimeout)))
                }, maximumAge: Self.maximumConnectionAge, deadline: deadline))
            } catch {
                return .failure(error)
            }
        }
        if case .success = result { idle.withLock { $0.append(link) } }
        return result
    }

    /// What a new connection sends first: `AUTH` (with a user when there is one), then `SELECT`.
    private func setupCommands() -> [[String]] {
        var commands: [[String]] = []
        if let password = password() {
            commands.append(configuration.user.map { ["AUTH", $0, password] } ?? ["AUTH", password])
        }
        if configuration.database != 0 { commands.append(["SELECT", String(configuration.database)]) }
        return commands
    }

    private func connect(to node: RedisLink.Node, deadline: MonotonicTime) throws(RedisError) -> any ClientTransport {
        let address: SocketAddress
        do {
            address = try SocketAddress(host: node.host, port: node.port)
        } catch {
            throw .unreachable("cannot resolve \(node.host): \(error)")
        }
        do throws(HTTPClientError) {
            guard configuration.tls else { return try TCPTransport(address: address, endpoint: node.endpoint, deadline: deadline) }
            let caFile = configuration.caFile
            let context = try tls.withLock { context throws(HTTPClientError) -> TLSContext in
                if let context { return context }
                let made = try TLSContext(caBundle: caFile)
                context = made
                return made
            }
            // The name checked is the configured host's: a redirect names an address, and the
            // cluster's certificate is made for the endpoint's name.
            return try TLSTransport(address: address, host: configuration.host, endpoint: node.endpoint, context: context, deadline: deadline)
        } catch {
            throw .unreachable("\(error)")
        }
    }

    struct Redirect {
        var node: RedisLink.Node
        var isAsk: Bool
        var message: String
    }

    /// The first `-MOVED <slot> <host>:<port>` or `-ASK …` among `replies`, if any.
    static func redirect(in replies: [RESPValue]) -> Redirect? {
        for reply in replies {
            guard case .error(let message) = reply else { continue }
            let words = message.split(separator: " ")
            guard words.count == 3, words[0] == "MOVED" || words[0] == "ASK", let colon = words[2].lastIndex(of: ":"),
                  let port = UInt16(words[2][words[2].index(after: colon)...]) else { continue }
            var host = String(words[2][..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            return Redirect(node: RedisLink.Node(host: host, port: port), isAsk: words[0] == "ASK", message: message)
        }
        return nil
    }
}
