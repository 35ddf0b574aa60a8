import CLinux
import Glibc
import Synchronization
import Testing
@testable import Sockets
import Timekeeping

@Suite("sockets and event loops")
struct SocketsTests {
    @Test func addresses() throws {
        #expect(try SocketAddress(host: "127.0.0.1", port: 80) == .ipv4(host: "127.0.0.1", port: 80))
        #expect(try SocketAddress(host: "::1", port: 80) == .ipv6(host: "::1", port: 80))
        #expect(try SocketAddress(host: "[::1]", port: 80).description == "[::1]:80")
        #expect(try SocketAddress(host: "localhost", port: 1).port == 1)
        #expect(throws: SocketError.self) { try SocketAddress(host: "no such host.invalid", port: 1) }
    }

    @Test func bindingPortZeroReportsTheRealPort() throws {
        let listener = try Socket.listening(on: .ipv4(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        let address = try listener.localAddress()
        #expect(address.port != 0)
        // A second bind of the same port fails loudly, naming the call and errno.
        do {
            let second = try Socket.listening(on: address)
            second.close()
            Issue.record("bound twice")
        } catch {
            #expect(error.call == "bind")
            #expect(error.isAddressInUse)
            #expect(error.description.contains("Address already in use"))
        }
    }

    @Test func loopRunsJobsTimersAndTasks() async throws {
        let group = try EventLoopGroup(loopCount: 1)
        try group.start()
        defer { group.stopAndJoin() }
        let loop = group.loops[0]
        let timerFired = Atomic<Bool>(false)
        let onLoop: Bool = await withCheckedContinuation { continuation in
            loop.execute {
                loop.schedule(at: MonotonicTime.now().advanced(by: .milliseconds(10))) {
                    timerFired.store(true, ordering: .relaxed)
                    continuation.resume(returning: loop.inLoop)
                }
            }
        }
        #expect(onLoop)
        let fired = timerFired.load(ordering: .relaxed)
        #expect(fired)
        // A task preferring the loop as its executor runs on the loop's thread.
        let ranOnLoop = await Task(executorPreference: loop) { loop.inLoop }.value
        #expect(ranOnLoop)
    }

    @Test func readinessIsReported() throws {
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &fds) == 0)
        let (a, b) = (Socket(fd: fds[0]), Socket(fd: fds[1]))
        defer { a.close(); b.close() }
        let queue = try EpollEventQueue()
        try queue.register(a.fd, interest: .read, token: 7)
        _ = try [UInt8(ascii: "x")].withUnsafeBytes { try b.write($0) }
        var seen: [IOEvent] = []
        try queue.wait(timeoutMilliseconds: 1000) { seen.append($0) }
        #expect(seen.count == 1)
        #expect(seen.first?.token == 7)
        #expect(seen.first?.events.contains(.readable) == true)
    }
}
