import Glibc
import HTTPCore
import LambdaRuntime
import Logging
import TestSupport

/// The event files under `Fixtures/` (see its README for their sources).
enum Fixtures {
    static let folder: String = {
        let path = #filePath
        return String(path[..<path.lastIndex(of: "/")!]) + "/../Fixtures"
    }()

    static func bytes(_ name: String) -> [UInt8] {
        guard let bytes = readFile("\(folder)/\(name)") else { fatalError("missing fixture \(name)") }
        return bytes
    }

    static func invocation(_ name: String, requestID: String = "8476a536-e9f4-11e8-9739-2dfe598c3fcd") -> Invocation {
        Invocation(requestID: requestID, deadlineMilliseconds: WallClock.nowMilliseconds() + 10_000, event: bytes(name))
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }
}
