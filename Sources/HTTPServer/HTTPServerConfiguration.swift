package import HTTPCore

/// Everything the dev server can be told: address, loops, limits and timeouts. Only the executable
/// fills it from flags and the environment.
package struct HTTPServerConfiguration: Sendable {
    /// The host to bind, an IP literal or a name (`127.0.0.1`, `::1`, `0.0.0.0`, `localhost`).
    package var host: String
    /// The port; 0 picks a free one (see `HTTPServer.localAddress`).
    package var port: UInt16
    /// Event loops, one per core by default.
    package var loopCount: Int
    /// Sizes a client may send.
    package var limits: HTTP1Limits
    /// From a head's first byte to its end (RFC 9112 leaves this to the server; nginx's default is 60 s).
    package var headerTimeout: Duration
    /// How long a kept-alive connection may wait for its next request.
    package var idleTimeout: Duration
    /// How long a body may pause between reads.
    package var bodyTimeout: Duration
    /// The whole body must arrive within `bodyGracePeriod` plus its length at this many bytes per
    /// second (the largest allowed body, for chunked ones); slower is 408 and the connection closed.
    package var minimumBodyRate: Int = 16 * 1024
    package var bodyGracePeriod: Duration = .seconds(10)
    /// How long a client may leave a response unread.
    package var writeTimeout: Duration
    /// How long a graceful stop waits for requests in flight before closing what is left.
    package var shutdownGracePeriod: Duration
    /// How often each loop checks deadlines and refreshes its `Date` value.
    package var sweepInterval: Duration

    package init(
        host: String = "127.0.0.1",
        port: UInt16 = 8080,
        loopCount: Int = 0,
        limits: HTTP1Limits = HTTP1Limits(),
        headerTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(60),
        bodyTimeout: Duration = .seconds(30),
        writeTimeout: Duration = .seconds(30),
        shutdownGracePeriod: Duration = .seconds(10),
        sweepInterval: Duration = .milliseconds(250)
    ) {
        self.host = host
        self.port = port
        self.loopCount = loopCount
        self.limits = limits
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
        self.writeTimeout = writeTimeout
        self.shutdownGracePeriod = shutdownGracePeriod
        self.sweepInterval = sweepInterval
    }

    var timeouts: ConnectionDeadline.Timeouts {
        ConnectionDeadline.Timeouts(header: headerTimeout, idle: idleTimeout, body: bodyTimeout, write: writeTimeout, linger: .seconds(2),
                                    bodyGrace: bodyGracePeriod, minimumBodyRate: minimumBodyRate)
    }
}
