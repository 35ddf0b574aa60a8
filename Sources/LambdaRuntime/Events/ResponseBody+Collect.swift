import HTTPCore
import Synchronization

extension ResponseBody {
    /// The whole body in memory, for a buffered answer: Lambda takes one JSON document.
    func collect() async throws -> [UInt8] {
        switch self {
        case .empty:
            return []
        case .bytes(let bytes):
            return bytes
        case .file(let region):
            guard let bytes = region.file.read(offset: region.offset, count: region.count) else {
                throw BodyCollectionError.unreadableFile
            }
            return bytes
        case .stream(let stream):
            let collector = BodyCollector()
            try await stream.produce(collector)
            return collector.bytes.withLock { $0 }
        }
    }
}

/// A file body that could not be read back.
enum BodyCollectionError: Error, CustomStringConvertible {
    case unreadableFile
    var description: String { "a file response body could not be read" }
}

/// Collects a streamed body.
final class BodyCollector: BodyWriter {
    let bytes = Mutex<[UInt8]>([])

    func write(_ piece: [UInt8]) async throws {
        bytes.withLock { $0.append(contentsOf: piece) }
    }
}
