import Timekeeping
/// Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
/// the n-th retry waits a random time in [0, min(cap, base × 2ⁿ)], so that clients throttled
/// together do not come back together.
package struct RetryPolicy: Sendable {
    package var maxAttempts: Int
    package var base: Duration
    package var cap: Duration

    package init(maxAttempts: Int = 5, base: Duration = .milliseconds(25), cap: Duration = .seconds(1)) {
        self.maxAttempts = maxAttempts
        self.base = base
        self.cap = cap
    }

    /// The pause before retry number `retry` (1 for the first).
    package func delay(beforeRetry retry: Int) -> Duration {
        let ceiling = min(cap, base * (1 << min(retry - 1, 20)))
        return .nanoseconds(Int64.random(in: 0...max(0, ceiling.nanoseconds)))
    }
}
