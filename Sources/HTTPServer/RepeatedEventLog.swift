import Sockets
import Timekeeping

/// Counts an event that can repeat many times a second (an `accept` failing, a client refused)
/// and says when to write a line about it: at most once a second, with how many happened since
/// the last line, so a flood of the same failure does not flood the log.
struct RepeatedEventLog {
    private var unlogged = 0
    private var lastLine: MonotonicTime?

    /// Records one event at `now`; the count to log when a line is due, else `nil`.
    mutating func record(at now: MonotonicTime = .now()) -> Int? {
        unlogged += 1
        guard lastLine.map({ $0.milliseconds(until: now) >= 1_000 }) ?? true else { return nil }
        defer { unlogged = 0 }
        lastLine = now
        return unlogged
    }
}
