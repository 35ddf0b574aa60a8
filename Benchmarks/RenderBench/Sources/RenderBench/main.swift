// RenderBench <templates-dir> <iterations>: renders `home` with a two-region context, as the app
// does per request (shared values in an outer context, the page's values built per render), and
// prints microseconds per page.
import Glibc
import Mustache

func readFile(_ path: String) -> String {
    guard let file = fopen(path, "r") else { fatalError("cannot read \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        if n <= 0 { break }
        bytes += chunk[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

let folder = CommandLine.arguments[1]
let iterations = Int(CommandLine.arguments[2]) ?? 100_000
var sources: [String: String] = [:]
for name in ["layout", "home", "not-found", "error", "partials/regions", "partials/footer"] {
    sources[name] = readFile("\(folder)/\(name).mustache")
}
let library = try MustacheLibrary(sources: sources)
let paths = ["app.css": "/assets/app.0123456789abcdef.css", "app.js": "/assets/app.0123456789abcdef.js"]
let shared: MustacheValue = ["asset": .lambda { paths[$0] ?? "" }, "region": "us-east-1"]

func page(_ visit: Int) -> MustacheValue {
    .object([
        "title": "Swiftlet",
        "visits": .int(visit + 5),
        "regions": .list([
            ["name": "us-east-1", "count": .int(visit), "serving": true],
            ["name": "us-west-2", "count": 5, "serving": false],
        ]),
        "multipleRegions": true,
        "requestId": "0123456789abcdef-000000000001",
    ])
}

if getenv("DUMP") != nil {
    var output: [UInt8] = []
    library.render("home", contexts: [shared, page(1)], into: &output)
    print(String(decoding: output, as: UTF8.self))
    exit(0)
}
var bytes = 0
let clock = ContinuousClock()
let start = clock.now
for visit in 0..<iterations {
    var output: [UInt8] = []
    output.reserveCapacity(8192)
    library.render("home", contexts: [shared, page(visit)], into: &output)
    bytes &+= output.count
}
let elapsed = clock.now - start
let micros = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
print("\(micros / Double(iterations))\t\(bytes / iterations)")
