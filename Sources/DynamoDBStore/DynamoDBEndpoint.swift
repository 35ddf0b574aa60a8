import HTTPClient

/// Where DynamoDB answers: `https://dynamodb.<region>.amazonaws.com`, or the URL in
/// `SWIFTLET_DYNAMODB_ENDPOINT` (a DynamoDB-compatible server on a laptop or in a test).
package struct DynamoDBEndpoint: Sendable, Equatable, CustomStringConvertible {
    package var secure: Bool
    package var host: String
    package var port: UInt16

    package init(secure: Bool, host: String, port: UInt16) {
        self.secure = secure
        self.host = host
        self.port = port
    }

    /// The regional endpoint.
    package static func region(_ region: String) -> DynamoDBEndpoint {
        DynamoDBEndpoint(secure: true, host: "dynamodb.\(region).amazonaws.com", port: 443)
    }

    /// `http://host:port` or `https://host[:port]`, with an optional trailing `/`; `nil` otherwise.
    package init?(url: String) {
        let secure: Bool
        var rest: Substring
        if url.hasPrefix("https://") { secure = true; rest = url.dropFirst(8) }
        else if url.hasPrefix("http://") { secure = false; rest = url.dropFirst(7) }
        else { return nil }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@") else { return nil }
        var host = rest
        var port: UInt16 = secure ? 443 : 80
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let parsed = UInt16(after.dropFirst()) else { return nil }
                port = parsed
            }
        } else if let colon = rest.lastIndex(of: ":") {
            guard let parsed = UInt16(rest[rest.index(after: colon)...]) else { return nil }
            host = rest[..<colon]
            port = parsed
        }
        guard !host.isEmpty else { return nil }
        self.init(secure: secure, host: String(host), port: port)
    }

    /// The `Host` value requests carry (and sign).
    package var authority: String {
        HTTPClient.Configuration.authority(host: host, port: port, defaultPort: secure ? 443 : 80)
    }

    package var description: String { "\(secure ? "https" : "http")://\(authority)" }
}
