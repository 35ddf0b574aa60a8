import Sockets
package import Timekeeping

/// The byte stream under one client connection: plain TCP here, TLS over TCP later under the same
/// three calls, so the HTTP layer above never knows which. Every call takes an absolute deadline.
package protocol ClientTransport: AnyObject {
    /// Writes all of `bytes` by `deadline`.
    func write(_ bytes: UnsafeRawBufferPointer, deadline: MonotonicTime) throws(HTTPClientError)
    /// Reads what is there (waiting until `deadline` for something); 0 means the peer closed.
    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: MonotonicTime) throws(HTTPClientError) -> Int
    /// `true` when an idle connection can no longer be used: the peer closed it or sent bytes no
    /// request asked for. Checked before a kept-alive connection is reused.
    var isStale: Bool { get }
    func close()
}

extension MonotonicTime {
    /// `poll`'s timeout until this deadline: -1 for `never`, else milliseconds (at least 0).
    var pollTimeout: Int32 {
        if self == .never { return -1 }
        return Int32(clamping: MonotonicTime.now().milliseconds(until: self))
    }
}
