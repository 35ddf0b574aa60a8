/// Something registered with an event loop for a descriptor: a listener or a connection. Its methods
/// run on the loop's thread only, so its state needs no locks.
public protocol EventLoopHandler: AnyObject {
    /// The descriptor became ready.
    func handle(_ events: IOEvents)
}
