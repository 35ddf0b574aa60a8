import HTTPClient
import Sockets
import Synchronization
import Timekeeping

/// One connection to one Redis node, made on first use and kept: the transport (TCP, or TLS
/// through `HTTPClient`'s layer), what was read past the last reply, and when it authenticated.
/// Used by one call at a time (the client's pool hands it out and takes it back), so the lock is
/// never contended; it is what lets the link cross threads.
final class RedisLink: Sendable {
    struct Node: Equatable, Sendable {
        var host: String
        var port: UInt16
        var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    private struct State: ~Copyable {
        var transport: (any ClientTransport)?
        var input: [UInt8] = []
        var inputStart = 0
        var openedAt = MonotonicTime(nanoseconds: 0)
    }

    let node: Node
    private let state = Mutex(State())
    private static let parser = RESPParser()

    init(node: Node) {
        self.node = node
    }

    /// Sends `commands` in one write (a pipeline: one round trip) and reads one reply per command,
    /// connecting and authenticating first when there is no connection. `setup` is what a new
    /// connection sends before anything else (`AUTH`, `SELECT`), with its replies checked.
    func call(_ commands: [[String]], setup: () -> [[String]], connect: (Node, MonotonicTime) throws(RedisError) -> any ClientTransport,
              maximumAge: Duration, deadline: MonotonicTime) throws(RedisError) -> [RESPValue] {
        try state.withLock { state throws(RedisError) -> [RESPValue] in
            if let transport = state.transport, transport.isStale || MonotonicTime.now() - state.openedAt > maximumAge {
                transport.close()
                state = State()
            }
            if state.transport == nil {
                let transport = try connect(node, deadline)
                state.transport = transport
                state.openedAt = .now()
                let steps = setup()
                if !steps.isEmpty {
                    let replies: [RESPValue]
                    do throws(RedisError) {
                        replies = try Self.exchange(steps, on: transport, state: &state, deadline: deadline)
                    } catch {
                        Self.drop(&state)
                        // Nothing of the caller's was sent yet.
                        if case .outcomeUnknown(let detail) = error { throw .unreachable(detail) }
                        throw error
                    }
                    for reply in replies {
                        if case .error(let message) = reply {
                            Self.drop(&state)
                            throw .server(message)
                        }
                    }
                }
            }
            guard let transport = state.transport else { throw .unreachable("no connection") }
            do throws(RedisError) {
                return try Self.exchange(commands, on: transport, state: &state, deadline: deadline)
            } catch {
                Self.drop(&state)
                throw error
            }
        }
    }

    /// Closes the connection, if any.
    func close() {
        state.withLock { Self.drop(&$0) }
    }

    private static func drop(_ state: inout State) {
        state.transport?.close()
        state = State()
    }

    /// One write, then the replies. Any failure here is after sending began: the outcome is unknown.
    private static func exchange(_ commands: [[String]], on transport: any ClientTransport, state: inout State,
                                 deadline: MonotonicTime) throws(RedisError) -> [RESPValue] {
        var out: [UInt8] = []
        for command in commands { RESPCommand.append(command, to: &out) }
        do throws(HTTPClientError) {
            try transport.write(out, deadline: deadline)
        } catch {
            throw .outcomeUnknown("\(error)")
        }
        var replies: [RESPValue] = []
        replies.reserveCapacity(commands.count)
        while replies.count < commands.count {
            let parsed: (RESPValue, end: Int)?
            do throws(RESPError) {
                parsed = try parser.parse(state.input, from: state.inputStart)
            } catch {
                throw .protocolViolation("\(error)")
            }
            if let (reply, end) = parsed {
                replies.append(reply)
                state.inputStart = end
                if state.inputStart == state.input.count {
                    state.input.removeAll(keepingCapacity: true)
                    state.inputStart = 0
                }
                continue
            }
            if state.inputStart > 0 {
                state.input.removeFirst(state.inputStart)
                state.inputStart = 0
            }
            let count: Int
            do throws(HTTPClientError) {
                count = try transport.read(appendingTo: &state.input, deadline: deadline)
            } catch {
                throw .outcomeUnknown("\(error)")
            }
            guard count > 0 else { throw .outcomeUnknown("Redis closed the connection before answering") }
        }
        return replies
    }
}
