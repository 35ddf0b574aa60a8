import Mustache
import VisitStore

/// The values pages are rendered with, named as the templates use them.
enum PageContext {
    static func home(counts: VisitCounts, region: String, requestID: String) -> MustacheObject {
        let regions: [MustacheValue] = counts.sortedRegions.map { entry in
            ["name": .string(entry.region), "count": .int(entry.count), "serving": .bool(entry.region == region)]
        }
        return [
            "title": "Swiftlet",
            "visits": .int(counts.total),
            "regions": .list(regions),
            "multipleRegions": .bool(counts.regions.count > 1),
            "requestId": .string(requestID),
        ]
    }

    /// `path` is the path asked for, as sent (the template escapes it).
    static func error(status: Int, title: String, message: String, requestID: String, path: String) -> MustacheObject {
        ["title": .string(title), "status": .int(status), "message": .string(message), "requestId": .string(requestID), "path": .string(path)]
    }
}
