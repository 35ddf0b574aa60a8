@testable import HTTPServer
import Sockets
import Testing
import Timekeeping

/// A failure that repeats is logged at most once a second, with the count since the last line.
@Test func repeatedEventsAreLoggedOnceASecondWithTheirCount() {
    var log = RepeatedEventLog()
    let start = MonotonicTime.now()
    #expect(log.record(at: start) == 1, "the first one is logged at once")
    for tenth in 1...9 { #expect(log.record(at: start.advanced(by: .milliseconds(100 * tenth))) == nil) }
    #expect(log.record(at: start.advanced(by: .milliseconds(1_000))) == 10, "nine held back, and this one")
    #expect(log.record(at: start.advanced(by: .milliseconds(1_500))) == nil)
}
