import FuzzDriver
import HTTPCore

/// The request head parser, whole and cut in two at a point the input chooses: both must agree
/// (the incremental scan must not depend on how bytes arrive), and a complete head's body framing
/// is then fed to the chunked decoder.
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var whole = HTTP1HeadParser()
    let first = whole.parse(bytes)
    let cut = size > 0 ? Int(bytes[0]) % (size + 1) : 0
    var split = HTTP1HeadParser()
    var second = split.parse(UnsafeBufferPointer(rebasing: bytes[0..<cut]))
    if case .needMore = second { second = split.parse(bytes) }
    switch (first, second) {
    case (.complete(let head, let a), .complete(_, let b)):
        precondition(a == b, "consumed differs")
        if head.framing == .chunked {
            var decoder = ChunkedDecoder(maxBodyBytes: 1 << 20)
            var body: [UInt8] = []
            _ = try? decoder.decode(UnsafeBufferPointer(rebasing: bytes[a...]), into: &body)
        }
    case (.needMore, .needMore), (.invalid, .invalid):
        break
    case (.complete, .invalid), (.invalid, .complete):
        // A head cut before its end may be refused early (a bad byte seen in the first part): both
        // must then be errors or the whole input too short; anything else is a disagreement.
        preconditionFailure("whole and split disagree")
    default:
        break
    }
    return 0
}

runFuzzer { bytes in _ = fuzz(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!, bytes.count) }
