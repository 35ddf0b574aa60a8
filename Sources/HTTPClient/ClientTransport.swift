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

extension ClientTransport {
    /// Writes all of `bytes` by `deadline`: the array form, for protocols that build each message
    /// as bytes (RESP, PostgreSQL's).
    package func write(_ bytes: [UInt8], deadline: MonotonicTime) throws(HTTPClientError) {
        let written = bytes.withUnsafeBytes { buffer -> Result<Void, HTTPClientError> in
            do throws(HTTPClientError) {
                return .success(try write(buffer, deadline: deadline))
            } catch {
                return .failure(error)
            }
        }
        try written.get()
    }

    /// Reads what is there, at most `maximum` bytes, onto the end of `buffer` (waiting until
    /// `deadline` for something); returns how many, 0 when the peer closed. The bytes land in
    /// stack memory first: nothing is allocated or zeroed per read.
    package func read(appendingTo buffer: inout [UInt8], maximum: Int = 16 * 1024, deadline: MonotonicTime) throws(HTTPClientError) -> Int {
        let result = withUnsafeTemporaryAllocation(byteCount: maximum, alignment: 1) { scratch -> Result<Int, HTTPClientError> in
            do throws(HTTPClientError) {
                let count = try read(into: scratch, deadline: deadline)
                buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]).assumingMemoryBound(to: UInt8.self))
                return .success(count)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
