import FuzzDriver
import HTTPCore

/// The client's response head parser, for a GET and a HEAD.
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var parser = HTTP1ResponseHeadParser()
    if case .complete(let head, let consumed) = parser.parse(bytes, requestMethod: .get) {
        precondition(consumed <= size)
        if head.framing == .chunked {
            var decoder = ChunkedDecoder(maxBodyBytes: 1 << 16)
            var body: [UInt8] = []
            _ = try? decoder.decode(UnsafeBufferPointer(rebasing: bytes[consumed...]), into: &body)
        }
    }
    var head = HTTP1ResponseHeadParser()
    _ = head.parse(bytes, requestMethod: .head)
    return 0
}

runFuzzer { bytes in _ = fuzz(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!, bytes.count) }
