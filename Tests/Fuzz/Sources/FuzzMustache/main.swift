import FuzzDriver
import Mustache

/// The template parser and linker, then a render with a small context: errors are fine, crashes not.
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let library = try? MustacheLibrary(sources: ["t": text, "p": "{{x}}"]) else { return 0 }
    _ = library.render("t", context: .object(MustacheObject([("x", .string("<&>")), ("list", .list([.bool(true), .int(3)]))])))
    return 0
}

runFuzzer { bytes in _ = fuzz(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!, bytes.count) }
