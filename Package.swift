// swift-tools-version: 6.2
import PackageDescription

/// Swiftlet: one executable that serves a server-rendered site from a dev server on raw sockets and
/// from AWS Lambda. Targets and the direction of their dependencies follow `STYLE.md`.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
    // An async function runs on its caller's executor (SE-0461): a request's awaits stay on the
    // connection's event loop without a `swift_task_switch` (and its status-record lock) per call.
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]
/// For the targets whose classes are confined to one event loop's thread (connections, loops):
/// their state is never touched by two threads or two accesses at once by construction, and the
/// run-time exclusivity check on every stored-property access was ~6% of a request's instructions.
let loopConfined: [SwiftSetting] = strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
/// The test targets share the isolation rule of the code they test.
let testSettings: [SwiftSetting] = [.enableUpcomingFeature("NonisolatedNonsendingByDefault")]

let package = Package(
    name: "swiftlet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swiftlet", targets: ["swiftlet"]),
        // The template engine on its own, for Benchmarks/RenderBench (and anyone who wants it).
        .library(name: "SwiftletMustache", targets: ["Mustache"]),
        // The parsers of untrusted bytes, for the fuzzers in Tests/Fuzz.
        .library(name: "SwiftletHTTPCore", targets: ["HTTPCore"]),
        .library(name: "SwiftletJSON", targets: ["JSON"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // C shims: Swift's Glibc does not export epoll, eventfd or sendfile.
        .target(name: "CLinux"),

        // Time, and nothing else: the one deadline type every layer shares.
        .target(name: "Timekeeping", dependencies: ["CLinux"], swiftSettings: strict),
        // Threads, and nothing else: the one way a thread is made, a semaphore to wait on one, and
        // the pool where store calls that block on a socket wait.
        .target(name: "Threads", dependencies: ["CLinux"], swiftSettings: strict),
        // I/O without HTTP.
        .target(name: "Sockets", dependencies: ["CLinux", "Timekeeping", "Threads"], swiftSettings: loopConfined),
        // HTTP without I/O.
        .target(
            name: "HTTPCore",
            dependencies: ["Timekeeping", .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: strict
        ),
        // Front-end 1: the HTTP/1.1 server joining the two.
        .target(
            name: "HTTPServer",
            dependencies: ["Threads", 
                "HTTPCore", "Sockets", "Timekeeping",
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: loopConfined
        ),
        // JSON read and written on bytes (no Foundation): events, the manifest, DynamoDB.
        .target(name: "JSON", swiftSettings: strict),
        // OpenSSL's libcrypto and libssl: TLS for the client, SHA-256 for assets and SigV4.
        .systemLibrary(name: "COpenSSL", providers: [.apt(["libssl-dev"])]),
        .target(name: "Digest", dependencies: ["COpenSSL"], swiftSettings: strict),
        // SigV4 and the credentials it signs with: DynamoDB's calls, and the IAM tokens of RDS and ElastiCache.
        .target(name: "AWSSigning", dependencies: ["Digest", "HTTPCore"], swiftSettings: strict),
        // A small HTTP/1.1 client over the same codec, with deadlines and a kept-alive connection.
        .target(
            name: "HTTPClient",
            dependencies: ["HTTPCore", "Sockets", "Timekeeping", "COpenSSL", .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: strict
        ),
        // Front-end 2: the Lambda custom runtime around the same responder.
        .target(
            name: "LambdaRuntime",
            dependencies: ["Threads", 
                "HTTPCore", "HTTPClient", "JSON", "Sockets", "CLinux", "Timekeeping", "Digest",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Definitions of the two glibc functions that Swift's static runtime asks for at versions
        // newer than provided.al2023's glibc 2.34 has (hypotf@2.35, arc4random@2.36).
        .target(name: "CGlibcCompat"),
        // Our Mustache engine (no Foundation): compiled once, rendered straight into bytes.
        .target(name: "Mustache", swiftSettings: strict),

        // The storage port and its adapters.
        .target(name: "VisitStore", dependencies: ["Timekeeping"], swiftSettings: strict),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "SQLiteStore", dependencies: ["VisitStore", "CSQLite", "Timekeeping", "Threads"], swiftSettings: strict),
        .target(
            name: "DynamoDBStore",
            dependencies: ["Threads", 
                "VisitStore", "HTTPClient", "HTTPCore", "Sockets", "JSON", "AWSSigning", "Timekeeping",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),

        // The application, for both front-ends.
        // Visits in PostgreSQL (Aurora): a thin wire-protocol (version 3) client over the client's transports.
        .target(
            name: "PostgresStore",
            dependencies: ["VisitStore", "HTTPClient", "HTTPCore", "Sockets", "Threads", "Timekeeping", "AWSSigning", "Digest"],
            swiftSettings: strict
        ),
        // Visits in Redis (ElastiCache): a thin RESP client over the client's TCP and TLS transports.
        .target(
            name: "RedisStore",
            dependencies: ["VisitStore", "HTTPClient", "HTTPCore", "Sockets", "Threads", "Timekeeping", "AWSSigning"],
            swiftSettings: strict
        ),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "SwiftletApp",
            dependencies: [
                "HTTPCore", "VisitStore", "Mustache", "JSON", "CZlib", "Digest", "Timekeeping",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // The only composition root.
        .executableTarget(
            name: "swiftlet",
            dependencies: [
                "HTTPCore", "HTTPServer", "Sockets", "SwiftletApp", "VisitStore", "SQLiteStore", "CLinux",
                "LambdaRuntime", "DynamoDBStore", "RedisStore", "PostgresStore", "AWSSigning", "Threads", "Timekeeping",
                // Linked, not imported: the glibc symbols al2023 lacks, defined in the binary.
                "CGlibcCompat",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        .target(
            name: "TestSupport",
            dependencies: ["Threads", "Timekeeping", "Sockets", "CLinux", "CZlib", "HTTPCore", "JSON", "VisitStore", .product(name: "HTTPTypes", package: "swift-http-types")],
            path: "Tests/TestSupport",
            swiftSettings: testSettings
        ),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: testSettings),
        .testTarget(
            name: "DynamoDBStoreTests",
            dependencies: ["Timekeeping", "DynamoDBStore", "AWSSigning", "VisitStore", "HTTPClient", "JSON", "TestSupport", "Sockets",
                           .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: testSettings
        ),
        .testTarget(name: "AWSSigningTests", dependencies: ["AWSSigning", "HTTPCore", "JSON", "TestSupport"], exclude: ["Fixtures"],
                    swiftSettings: testSettings),
        .testTarget(
            name: "PostgresStoreTests",
            dependencies: ["PostgresStore", "VisitStore", "Timekeeping", "TestSupport"],
            swiftSettings: testSettings
        ),
        .testTarget(
            name: "RedisStoreTests",
            dependencies: ["RedisStore", "VisitStore", "Timekeeping", "TestSupport"],
            swiftSettings: testSettings
        ),
        .testTarget(
            name: "HTTPClientTests",
            dependencies: ["Timekeeping", "HTTPClient", "HTTPCore", "Sockets", "TestSupport", .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: testSettings
        ),
        .testTarget(
            name: "LambdaRuntimeTests",
            dependencies: ["Digest", 
                "Timekeeping", "LambdaRuntime", "HTTPCore", "HTTPClient", "JSON", "TestSupport",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: testSettings
        ),
        .testTarget(name: "SocketsTests", dependencies: ["Timekeeping", "Sockets", "CLinux"], swiftSettings: testSettings),
        .testTarget(name: "MustacheTests", dependencies: ["Mustache"], exclude: ["Fixtures"], swiftSettings: testSettings),
        // The shared VisitStore contract over the stores that need no network.
        .testTarget(name: "VisitStoreTests", dependencies: ["VisitStore", "SQLiteStore", "TestSupport"], swiftSettings: testSettings),
        .testTarget(name: "SQLiteStoreTests", dependencies: ["Timekeeping", "VisitStore", "SQLiteStore", "CSQLite", "TestSupport"], swiftSettings: testSettings),
        .testTarget(
            name: "HTTPCoreTests",
            dependencies: ["HTTPCore", .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: testSettings
        ),
        .testTarget(
            name: "HTTPServerTests",
            dependencies: ["Timekeeping", "HTTPServer", "HTTPCore", "Sockets", "Threads", "TestSupport",
                           .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: testSettings
        ),
        // The built binary, run as people and Lambda run it. `swiftlet` is not imported: it is there
        // so that the binary the tests run is built first.
        .testTarget(name: "EndToEndTests", dependencies: ["Digest", "TestSupport", "Sockets", "swiftlet", "DynamoDBStore", "AWSSigning", "JSON"], swiftSettings: testSettings),
        .testTarget(
            name: "SwiftletAppTests",
            dependencies: ["Digest", 
                "Timekeeping", "SwiftletApp", "HTTPCore", "VisitStore", "SQLiteStore", "HTTPServer", "TestSupport", "Sockets", "Threads",
                "LambdaRuntime", "JSON", "DynamoDBStore", "AWSSigning", "RedisStore", "PostgresStore",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: testSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
