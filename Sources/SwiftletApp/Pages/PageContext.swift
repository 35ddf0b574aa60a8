import Mustache
import VisitStore

/// The values pages are rendered with, named as the templates use them.
enum PageContext {
    static func home(counts: VisitCounts, region: String, requestID: String) -> [String: MustacheValue] {
        let regions: [MustacheValue] = counts.sortedRegions.map { entry in
            ["name": .string(entry.region), "count": .int(entry.count), "serving": .bool(entry.region == region)]
        }
        var context = [String: MustacheValue](minimumCapacity: 5)
        context["title"] = "Swiftlet"
        context["visits"] = .int(counts.total)
        context["regions"] = .list(regions)
        context["multipleRegions"] = .bool(counts.regions.count > 1)
        context["requestId"] = .string(requestID)
        return context
    }

    static func error(status: Int, title: String, message: String, requestID: String) -> [String: MustacheValue] {
        ["title": .string(title), "status": .int(status), "message": .string(message), "requestId": .string(requestID)]
    }
}
