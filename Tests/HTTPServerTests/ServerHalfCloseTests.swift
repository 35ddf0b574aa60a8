import Glibc
import Sockets
import TestSupport
import Testing
import Timekeeping

/// A client that sends part of a head and then shuts down its side (FIN) is let go as soon as the
/// FIN arrives, whatever its timing, not at the header timeout (here 10 s, so that only noticing
/// the FIN can pass).
@Suite("server: half-closed clients")
struct ServerHalfCloseTests {
    enum Timing: String, CaseIterable, Sendable {
        /// The partial head and the FIN in one go (one edge for both).
        case withTheData
        /// The FIN after the data, in a segment of its own.
        case laterSegment
        /// The FIN after a pause, long after the data was read.
        case afterAPause
    }

    @Test("partial head, then FIN: closed at once", arguments: Timing.allCases)
    func partialHeadThenFIN(_ timing: Timing) throws {
        try withTestServer({ $0.headerTimeout = .seconds(10) }) { _, port in
            let client = try RawClient(port: port)
            client.socket.setNoDelay()
            let partial = "GET / HTTP/1.1\r\nHost: x\r\n"
            switch timing {
            case .withTheData:
                // MSG_MORE keeps the data back until the FIN goes with it.
                _ = partial.withCString { send(client.socket.fd, $0, strlen($0), Int32(MSG_MORE)) }
                client.socket.shutdownWrite()
            case .laterSegment:
                try client.send(partial)
                client.socket.shutdownWrite()
            case .afterAPause:
                try client.send(partial)
                usleep(100_000) // shapes the input: the server has read the data and waits
                client.socket.shutdownWrite()
            }
            let started = MonotonicTime.now()
            #expect(client.waitForClose(timeout: .seconds(5)), "\(timing)")
            #expect(started.milliseconds(until: .now()) < 2_000, "\(timing): closed only at the header timeout")
        }
    }
}
