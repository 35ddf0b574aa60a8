import FuzzDriver
import HTTPCore

/// The chunked decoder (trailers kept), whole and one byte at a time: the same body, the same end.
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var whole = ChunkedDecoder(maxBodyBytes: 1 << 16, keepsTrailers: true)
    var body: [UInt8] = []
    let wholeResult = Result { () throws(HTTP1ParseError) in try whole.decode(bytes, into: &body) }
    var stepwise = ChunkedDecoder(maxBodyBytes: 1 << 16, keepsTrailers: true)
    var stepBody: [UInt8] = []
    var used = 0
    var failed = false
    while used < size && !stepwise.isDone {
        do {
            used += try stepwise.decode(UnsafeBufferPointer(rebasing: bytes[used..<(used + 1)]), into: &stepBody)
        } catch {
            failed = true
            break
        }
    }
    switch wholeResult {
    case .success(let consumed):
        precondition(!failed && consumed == used && body == stepBody && whole.isDone == stepwise.isDone, "whole and byte-by-byte disagree")
        if whole.isDone { _ = try? whole.trailers() }
    case .failure:
        precondition(failed, "whole failed, byte by byte did not")
    }
    return 0
}

runFuzzer { bytes in _ = fuzz(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!, bytes.count) }
