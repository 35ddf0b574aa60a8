public import HTTPTypes

/// An incremental decoder for the chunked transfer coding (RFC 9112 §7.1). Feed it input as it
/// arrives; it appends the data to a body, reports how much input it used and when the last chunk
/// and trailer section are done. Sizes are hex without sign or space, at most 15 digits; extensions
/// are skipped; trailers are read and dropped unless asked for (a Runtime API server reads the error
/// a streamed response reports in them); bare CR or LF, or a body past the limit, are errors.
public struct ChunkedDecoder: Sendable {
    enum State: Sendable, Equatable {
        case size(digits: Int, value: Int)
        case extensions(value: Int)
        case sizeLineFeed(value: Int)
        case data(remaining: Int)
        case dataCarriageReturn
        case dataLineFeed
        case trailerLineStart
        case trailerLine
        case trailerLineFeed(empty: Bool)
        case done
    }

    private var state = State.size(digits: 0, value: 0)
    private var decoded = 0
    private var trailerBytes = 0
    private let maxBodyBytes: Int
    private let maxTrailerBytes: Int
    private let keepsTrailers: Bool
    /// Data chunks decoded so far (a streamed body's pieces, as a test server sees them).
    public private(set) var chunkCount = 0
    /// The trailer section's field lines as they came, when `keepsTrailers`.
    private var trailerSection: [UInt8] = []

    public init(maxBodyBytes: Int, maxTrailerBytes: Int = 16 * 1024, keepsTrailers: Bool = false) {
        self.maxBodyBytes = maxBodyBytes
        self.maxTrailerBytes = maxTrailerBytes
        self.keepsTrailers = keepsTrailers
    }

    /// The trailer fields (RFC 9112 §7.1.2), once `isDone`, when the decoder keeps them; read with
    /// the same field rules as a head.
    public func trailers() throws(HTTP1ParseError) -> HTTPFields {
        guard !trailerSection.isEmpty else { return HTTPFields() }
        return try trailerSection.withUnsafeBufferPointer { bytes throws(HTTP1ParseError) in
            try HTTP1FieldSection(bytes, 0..<bytes.count, limits: HTTP1Limits(), hostIsAuthority: false).fields
        }
    }

    /// `true` once the last chunk and the trailer section have been read.
    public var isDone: Bool { state == .done }

    /// Decodes from `input`, appending data to `body`; returns the bytes of `input` used. Stops right
    /// after the message ends, so what follows (a pipelined request) is left unused.
    public mutating func decode(_ input: UnsafeBufferPointer<UInt8>, into body: inout [UInt8]) throws(HTTP1ParseError) -> Int {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var index = 0
        while index < input.count && state != .done {
            let byte = input[index]
            switch state {
            case .size(let digits, let value):
                if let digit = PercentDecoding.hexValue(byte) {
                    guard digits < 15 else { throw .invalidChunk }
                    state = .size(digits: digits + 1, value: value << 4 | Int(digit))
                } else if digits > 0 && byte == UInt8(ascii: ";") {
                    state = .extensions(value: value)
                } else if digits > 0 && byte == cr {
                    state = .sizeLineFeed(value: value)
                } else {
                    throw .invalidChunk
                }
                index += 1
            case .extensions(let value):
                if byte == cr {
                    state = .sizeLineFeed(value: value)
                } else if !HTTPSyntax.isFieldValueByte(byte) {
                    throw .invalidChunk
                }
                index += 1
            case .sizeLineFeed(let value):
                guard byte == lf else { throw .invalidChunk }
                index += 1
                if value == 0 {
                    state = .trailerLineStart
                } else {
                    guard decoded + value <= maxBodyBytes else { throw .bodyTooLarge }
                    chunkCount += 1
                    state = .data(remaining: value)
                }
            case .data(let remaining):
                let take = min(remaining, input.count - index)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<(index + take)]))
                decoded += take
                index += take
                state = take == remaining ? .dataCarriageReturn : .data(remaining: remaining - take)
            case .dataCarriageReturn:
                guard byte == cr else { throw .invalidChunk }
                state = .dataLineFeed
                index += 1
            case .dataLineFeed:
                guard byte == lf else { throw .invalidChunk }
                state = .size(digits: 0, value: 0)
                index += 1
            case .trailerLineStart:
                state = byte == cr ? .trailerLineFeed(empty: true) : .trailerLine
                if byte != cr && !HTTPSyntax.isFieldValueByte(byte) { throw .invalidChunk }
                try countTrailer()
                if keepsTrailers && byte != cr { trailerSection.append(byte) }
                index += 1
            case .trailerLine:
                if byte == cr {
                    state = .trailerLineFeed(empty: false)
                } else if !HTTPSyntax.isFieldValueByte(byte) {
                    throw .invalidChunk
                }
                try countTrailer()
                if keepsTrailers { trailerSection.append(byte) }
                index += 1
            case .trailerLineFeed(let empty):
                guard byte == lf else { throw .invalidChunk }
                state = empty ? .done : .trailerLineStart
                if keepsTrailers && !empty { trailerSection.append(byte) }
                index += 1
            case .done:
                break
            }
        }
        return index
    }

    private mutating func countTrailer() throws(HTTP1ParseError) {
        trailerBytes += 1
        if trailerBytes > maxTrailerBytes { throw .headerSectionTooLarge }
    }
}
