/// Something registered with an event loop for a descriptor: a listener or a connection. Its methods
/// run on the loop's thread only, so its state needs no locks.
package protocol EventLoopHandler: AnyObject {
    /// The descriptor became ready.
    func handle(_ events: IOEvents)
}

/// Something that wants to run once at the end of the loop's current round, after every ready
/// descriptor and job has been handled: a connection flushing the responses it produced.
package protocol EventLoopRoundObserver: AnyObject {
    func roundEnded()
}
