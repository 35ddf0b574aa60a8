/// libFuzzer's entry for programs with a main of their own (`LLVMFuzzerRunDriver`, from
/// `libclang_rt.fuzzer_no_main`, which run.sh links).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// The one input being tested; set before each call of the C callback, which cannot capture.
nonisolated(unsafe) private var target: ((UnsafeBufferPointer<UInt8>) -> Void)?

/// Runs libFuzzer with the command line's arguments (corpus folders, `-max_total_time`, ...),
/// calling `body` with each input.
public func runFuzzer(_ body: @escaping (UnsafeBufferPointer<UInt8>) -> Void) -> Never {
    target = body
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        target?(UnsafeBufferPointer(start: data, count: size))
        return 0
    }
    exit(status)
}

@_silgen_name("exit")
func exit(_ status: Int32) -> Never
