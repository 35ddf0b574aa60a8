// RenderPeer <templates-dir> <iterations>: the same page and context as RenderBench, rendered with
// swift-mustache ([String: Any] context, String output as Hummingbird uses it); microseconds per page.
import Foundation
import Mustache

let folder = CommandLine.arguments[1]
let iterations = Int(CommandLine.arguments[2]) ?? 10_000
let library = try await MustacheLibrary(directory: folder)
let paths = ["app.css": "/assets/app.0123456789abcdef.css", "app.js": "/assets/app.0123456789abcdef.js"]

func context(_ visit: Int) -> [String: Any] {
    [
        "title": "Swiftlet", "visits": visit + 5, "multipleRegions": true,
        "requestId": "0123456789abcdef-000000000001", "region": "us-east-1",
        "regions": [["name": "us-east-1", "count": visit, "serving": true], ["name": "us-west-2", "count": 5, "serving": false]] as [[String: Any]],
        "asset": MustacheLambda { name in paths[name.trimmingCharacters(in: .whitespacesAndNewlines)] ?? "" },
    ]
}
if ProcessInfo.processInfo.environment["DUMP"] != nil {
    print(library.render(context(1), withTemplate: "home") ?? "")
    exit(0)
}
var bytes = 0
let start = DispatchTime.now().uptimeNanoseconds
for visit in 0..<iterations {
    let html = library.render(context(visit), withTemplate: "home") ?? ""
    bytes &+= html.utf8.count
}
let micros = Double(DispatchTime.now().uptimeNanoseconds - start) / 1000
print("\(micros / Double(iterations))\t\(bytes / iterations)")
