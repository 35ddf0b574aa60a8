// swift-tools-version: 6.0
import PackageDescription

/// The peer the benchmark measures swiftlet against: the same pages, API and SQLite statements on
/// Hummingbird 2 with swift-mustache. A separate package, so the product never links it.
let package = Package(
    name: "HummingbirdPeer",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(name: "CSQLitePeer"),
        .executableTarget(
            name: "HummingbirdPeer",
            dependencies: [
                "CSQLitePeer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(name: "RenderPeer", dependencies: [.product(name: "Mustache", package: "swift-mustache")]),
    ],
    swiftLanguageModes: [.v5]
)
