import TestSupport
import Testing
import Threads
import HTTPCore
import Sockets
@testable import HTTPServer
import Timekeeping

@Suite("server: timeouts, idle connections and graceful stop", .serialized)
struct ServerTimeoutTests {
    @Test func slowHeaderGets408() throws {
        try withTestServer({ $0.headerTimeout = .milliseconds(300) }) { _, port in
            let client = try RawClient(port: port)
            let started = MonotonicTime.now()
            try client.send("GET /health HTTP/1.1\r\nHost: a\r\n") // never finished
            let response = try #require(client.readResponse(timeout: .seconds(3)))
            #expect(response.status == 408)
            #expect(client.waitForClose())
            #expect(started.milliseconds(until: .now()) >= 250)
        }
    }

    @Test func silentConnectionIsClosedAfterTheHeaderTimeout() throws {
        try withTestServer({ $0.headerTimeout = .milliseconds(200) }) { _, port in
            let client = try RawClient(port: port)
            #expect(client.waitForClose(timeout: .seconds(3)))
        }
    }

    @Test func idleKeepAliveIsClosed() throws {
        try withTestServer({ $0.idleTimeout = .milliseconds(200) }) { _, port in
            let client = try RawClient(port: port)
            try client.send("GET /health HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(client.readResponse()?.status == 200)
            #expect(client.waitForClose(timeout: .seconds(3)))
        }
    }

    @Test func thousandIdleConnectionsDoNotStopOthers() throws {
        FileDescriptorLimit.raiseToMaximum()
        try withTestServer { _, port in
            var idle: [RawClient] = []
            for _ in 0..<1000 { idle.append(try RawClient(port: port)) }
            // Half of them start a request and stall mid-head.
            for client in idle.prefix(500) { try client.send("GET /health HTTP/1.1\r\nHo") }
            let started = MonotonicTime.now()
            let client = try RawClient(port: port)
            try client.send("GET /health HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(client.readResponse(timeout: .seconds(2))?.status == 200)
            #expect(started.milliseconds(until: .now()) < 2000)
            withExtendedLifetime(idle) {}
        }
    }

    @Test func gracefulStopFinishesInFlightRequests() throws {
        let gate = Gate()
        var router = RouterBuilder()
        router.get("/slow") { _ in
            await gate.wait()
            return .text("finished")
        }
        router.get("/health") { _ in .text("ok") }
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, loopCount: 2)
        configuration.sweepInterval = .milliseconds(20)
        let server = HTTPServer(configuration: configuration, responder: router.build(), logger: .init(label: "test"))
        let port = try server.start().port

        // Two kept-alive connections, answered once so they are surely accepted: with connections
        // handed out round-robin they sit on both loops, so seeing both closed proves that every
        // loop has begun stopping before the request in flight is let go.
        let idle = try (0..<2).map { _ in try RawClient(port: port) }
        for client in idle {
            try client.send("GET /health HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(client.readResponse()?.status == 200)
        }
        let busy = try RawClient(port: port)
        try busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(eventually { gate.arrived == 1 })

        let stopped = StopFlag()
        let stopper = try PosixThread(name: "test-stop") { server.shutdown(); stopped.set() }
        for client in idle { #expect(client.waitForClose(), "idle connections close at once") }
        #expect(eventually { (try? RawClient(port: port, timeoutMilliseconds: 200)) == nil }, "no new connections")
        #expect(!stopped.isSet, "still waiting for the request in flight")
        gate.open()
        let response = try #require(busy.readResponse())
        #expect(response.text == "finished")
        #expect(response.header("Connection") == "close")
        stopper.join()
        #expect(stopped.isSet)
    }

    @Test func deadlinePolicyWithAnInjectedClock() {
        let timeouts = ConnectionDeadline.Timeouts(header: .seconds(10), idle: .seconds(60), body: .seconds(30), write: .seconds(30), linger: .seconds(2))
        let start = MonotonicTime(nanoseconds: 1_000_000_000)
        var deadline = ConnectionDeadline(timeouts: timeouts, now: start)
        #expect(deadline.expiry(now: start.advanced(by: .seconds(9))) == .none)
        #expect(deadline.expiry(now: start.advanced(by: .seconds(10))) == .requestTimeout)
        deadline.responding()
        #expect(deadline.expiry(now: start.advanced(by: .seconds(3600))) == .none, "the app may take its time")
        deadline.waitForNextRequest(now: start.advanced(by: .seconds(20)))
        #expect(deadline.expiry(now: start.advanced(by: .seconds(79))) == .none)
        #expect(deadline.expiry(now: start.advanced(by: .seconds(80))) == .close)
        deadline.headStarted(now: start.advanced(by: .seconds(30)))
        deadline.headStarted(now: start.advanced(by: .seconds(39))) // more bytes do not extend it
        #expect(deadline.expiry(now: start.advanced(by: .seconds(40))) == .requestTimeout)
        deadline.bodyProgress(now: start.advanced(by: .seconds(40)))
        #expect(deadline.expiry(now: start.advanced(by: .seconds(69))) == .none)
        #expect(deadline.expiry(now: start.advanced(by: .seconds(70))) == .requestTimeout)
        deadline.writeBlocked(now: start.advanced(by: .seconds(70)))
        #expect(deadline.expiry(now: start.advanced(by: .seconds(100))) == .close)
    }

    /// A body trickling in a byte every 0.2 s makes progress forever; the whole body's deadline
    /// (10 s of grace, then 100,000 bytes at 16 KiB/s: 6.1 s more) still ends it.
    @Test func trickledBodyMeetsItsWholeBodyDeadline() {
        let timeouts = ConnectionDeadline.Timeouts(header: .seconds(10), idle: .seconds(60), body: .seconds(30), write: .seconds(30), linger: .seconds(2),
                                                   bodyGrace: .seconds(10), minimumBodyRate: 16 * 1024)
        let start = MonotonicTime(nanoseconds: 1_000_000_000)
        var deadline = ConnectionDeadline(timeouts: timeouts, now: start)
        deadline.bodyStarted(now: start, length: 100_000)
        var now = start
        var expiredAt: MonotonicTime?
        while expiredAt == nil && now < start.advanced(by: .seconds(60)) {
            now = now.advanced(by: .milliseconds(200))
            if deadline.expiry(now: now) == .requestTimeout { expiredAt = now } else { deadline.bodyProgress(now: now) }
        }
        let after = start.milliseconds(until: expiredAt ?? now)
        #expect(after >= 16_000 && after <= 16_400, "expired after \(after) ms")
        // A body that comes at a fair pace is never cut: 100,000 bytes in 5 s.
        var fair = ConnectionDeadline(timeouts: timeouts, now: start)
        fair.bodyStarted(now: start, length: 100_000)
        for step in 1...25 {
            let at = start.advanced(by: .milliseconds(200 * step))
            #expect(fair.expiry(now: at) == .none)
            fair.bodyProgress(now: at)
        }
        fair.responding()
        #expect(fair.expiry(now: start.advanced(by: .seconds(3600))) == .none)
    }

    @Test func trickledBodyGets408OverTheWire() throws {
        try withTestServer({ $0.bodyGracePeriod = .milliseconds(300); $0.minimumBodyRate = 1 << 20 }) { _, port in
            let client = try RawClient(port: port)
            try client.send("POST /echo/body HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n")
            let started = MonotonicTime.now()
            var answer: RawClient.Response?
            for _ in 0..<100 where answer == nil {
                try? client.send("x") // one byte at a time: progress, but far too slow
                answer = client.readResponse(timeout: .milliseconds(50))
            }
            #expect(answer?.status == 408)
            #expect(started.milliseconds(until: .now()) < 3_000)
            #expect(client.waitForClose())
        }
    }
}
