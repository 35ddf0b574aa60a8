/// When the request a store call serves stops waiting (a Lambda invocation's deadline), set by the
/// app around each request; a store that waits on a network keeps every call and retry before it,
/// so that no store call outlives its invocation. `nil` (the dev server): the store's own timeout.
public enum StoreDeadline {
    @TaskLocal public static var current: ContinuousClock.Instant?
}
