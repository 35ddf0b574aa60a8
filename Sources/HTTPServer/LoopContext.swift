import Glibc
import HTTPCore
import Sockets
import Timekeeping

/// What one event loop keeps for the server: its connections, and the `Date` value it stamps on
/// responses, refreshed by the loop's sweep instead of formatted per request. Loop-confined.
final class LoopContext: @unchecked Sendable {
    let loop: EventLoop
    private(set) var connections: [Int32: HTTPConnection] = [:]
    private(set) var date: String
    private var dateSecond: Int
    var shuttingDown = false
    /// Where every connection of this loop reads into before keeping what it got.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    /// Input and output buffers of connections that have nothing buffered, for the next one that
    /// receives bytes: an idle connection holds none, so thousands of idle keep-alive
    /// connections cost no buffers (they cost 8 KiB each when every connection kept its own).
    private var spareBuffers: [[UInt8]] = []
    static let bufferSize = 4096
    static let maxSpareBuffers = 256
    /// Called with the number of connections left on this loop whenever one closes.
    var onConnectionClosed: (Int) -> Void = { _ in }

    init(loop: EventLoop) {
        self.loop = loop
        let now = time(nil)
        self.dateSecond = now
        self.date = HTTPDate.format(secondsSince1970: now)
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Gives `buffer` (empty, without storage) a spare buffer's storage, or a new one.
    func lend(_ buffer: inout [UInt8]) {
        if let spare = spareBuffers.popLast() {
            buffer = spare
        } else {
            buffer.reserveCapacity(Self.bufferSize)
        }
    }

    /// Takes `buffer`'s storage back (emptied), leaving `buffer` without any; a buffer grown large
    /// by a big request is let go instead.
    func reclaim(_ buffer: inout [UInt8]) {
        guard buffer.capacity > 0 else { return }
        if buffer.capacity <= 16 * Self.bufferSize && spareBuffers.count < Self.maxSpareBuffers {
            buffer.removeAll(keepingCapacity: true)
            spareBuffers.append(buffer)
        }
        buffer = []
    }

    func add(_ connection: HTTPConnection) {
        connections[connection.socket.fd] = connection
    }

    func remove(_ connection: HTTPConnection) {
        connections[connection.socket.fd] = nil
        onConnectionClosed(connections.count)
    }

    /// Refreshes the date and expires connections past their deadline.
    func sweep(now: MonotonicTime) {
        let second = time(nil)
        if second != dateSecond {
            dateSecond = second
            date = HTTPDate.format(secondsSince1970: second)
        }
        for connection in Array(connections.values) {
            connection.checkDeadline(now: now)
        }
    }
}
