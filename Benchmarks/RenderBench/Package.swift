// swift-tools-version: 6.0
import PackageDescription

/// Renders the home page with our Mustache engine, for Benchmarks/render.sh.
let package = Package(
    name: "RenderBench",
    dependencies: [.package(name: "swiftlet", path: "../..")],
    targets: [
        .executableTarget(name: "RenderBench", dependencies: [.product(name: "SwiftletMustache", package: "swiftlet")]),
    ],
    swiftLanguageModes: [.v6]
)
