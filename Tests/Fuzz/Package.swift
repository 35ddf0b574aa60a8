// swift-tools-version: 6.0
import PackageDescription

/// libFuzzer targets for the parsers that read untrusted bytes, in a package of their own so that
/// the product never links libFuzzer. `Tests/Fuzz/run.sh` (and CI) builds every module,
/// Swiftlet's included, with AddressSanitizer and coverage instrumentation, links libFuzzer's
/// driver, and runs each target for a bounded time from its seed corpus.
let http = Target.Dependency.product(name: "SwiftletHTTPCore", package: "main")

let package = Package(
    name: "SwiftletFuzz",
    dependencies: [.package(path: "../..")],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(name: "FuzzRequestHead", dependencies: ["FuzzDriver", http]),
        .executableTarget(name: "FuzzChunked", dependencies: ["FuzzDriver", http]),
        .executableTarget(name: "FuzzResponseHead", dependencies: ["FuzzDriver", http]),
        .executableTarget(name: "FuzzJSON", dependencies: ["FuzzDriver", .product(name: "SwiftletJSON", package: "main")]),
        .executableTarget(name: "FuzzMustache", dependencies: ["FuzzDriver", .product(name: "SwiftletMustache", package: "main")]),
    ]
)
