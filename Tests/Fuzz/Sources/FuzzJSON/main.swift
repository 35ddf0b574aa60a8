import FuzzDriver
import JSON

/// The JSON reader: whatever it accepts, the writer writes back, and that reads as the same value.
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONValue.parse(bytes) else { return 0 }
    var writer = JSONWriter()
    writer.value(value)
    guard let again = try? JSONValue.parse(writer.bytes) else { preconditionFailure("written JSON does not read back") }
    precondition(again == value, "round trip changed the value")
    return 0
}

runFuzzer { bytes in _ = fuzz(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!, bytes.count) }
