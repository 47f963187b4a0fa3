// swift-tools-version:6.1
import PackageDescription

let grdb = Target.Dependency.product(name: "GRDB", package: "GRDB.swift")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")

let package = Package(
    name: "tandem",
    platforms: [.macOS(.v15), .iOS(.v18)],
    products: [
        .executable(name: "tandem", targets: ["tandem"]),
        .library(name: "TandemConnection", targets: ["TandemConnection"]),
        .library(name: "TandemRelay", targets: ["TandemRelay"]),
        .library(name: "TandemClient", targets: ["TandemClient"]),
        .library(name: "TandemMerge", targets: ["TandemMerge"]),
        // For the micro-benchmarks package in Benchmarks/.
        .library(name: "TandemHone", targets: ["TandemHone"]),
        .library(name: "TandemRelaySQLite", targets: ["TandemRelaySQLite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        // The connection kit: frames, the outbound queue, close reasons, pacing, the connection runner.
        .target(name: "TandemConnection", path: "Sources/Connection/TandemConnection"),
        // The relay: rooms, the durable log, the store protocols, history pages, compaction.
        .target(name: "TandemRelay", dependencies: ["TandemConnection"], path: "Sources/Relay/TandemRelay"),
        .target(
            name: "TandemRelaySQLite", dependencies: ["TandemRelay", "TandemSQLite", grdb],
            path: "Sources/Relay/TandemRelaySQLite"),
        // One SQLite file for every feature: WAL, and the migrations of the features that run.
        .target(name: "TandemSQLite", dependencies: [grdb], path: "Sources/Storage/TandemSQLite"),

        // Features: one wire protocol each, its domain module and its storage.
        .target(
            name: "TandemHone", dependencies: ["TandemRelay", "TandemConnection", logging],
            path: "Sources/Features/Hone/TandemHone"),
        .target(
            name: "TandemSDS",
            dependencies: [
                "TandemRelay", "TandemConnection", .product(name: "JWTKit", package: "jwt-kit"), logging,
            ],
            path: "Sources/Features/SDS/TandemSDS"),
        .target(
            name: "TandemSDSSQLite", dependencies: ["TandemSDS", "TandemRelay", "TandemSQLite", grdb],
            path: "Sources/Features/SDS/TandemSDSSQLite"),
        .target(
            name: "TandemLAN",
            dependencies: [
                "TandemConnection", "TandemMerge", "TandemSodium", "CSodium",
                .product(name: "Crypto", package: "swift-crypto"),
                logging,
            ],
            path: "Sources/Features/LAN/TandemLAN"),
        .target(
            name: "TandemLANSQLite", dependencies: ["TandemLAN", "TandemMerge", "TandemSQLite", grdb],
            path: "Sources/Features/LAN/TandemLANSQLite"),
        .target(name: "TandemMerge", path: "Sources/Features/LAN/TandemMerge"),
        .target(name: "TandemTinyBase", path: "Sources/Features/TinyHost/TandemTinyBase"),
        .target(
            name: "TandemTinyHost",
            dependencies: [
                "TandemConnection", "TandemTinyBase", "TandemSodium", "CSodium",
                .product(name: "Crypto", package: "swift-crypto"),
                logging,
            ],
            path: "Sources/Features/TinyHost/TandemTinyHost"),
        .target(
            name: "TandemTinyHostSQLite",
            dependencies: ["TandemTinyHost", "TandemTinyBase", "TandemSQLite", grdb],
            path: "Sources/Features/TinyHost/TandemTinyHostSQLite"),
        .target(
            name: "TandemAuth",
            dependencies: ["TandemRelay", "TandemConnection", .product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/Features/Accounts/TandemAuth"),
        .target(
            name: "TandemAuthSQLite", dependencies: ["TandemAuth", "TandemRelay", "TandemSQLite", grdb],
            path: "Sources/Features/Accounts/TandemAuthSQLite"),
        .target(
            name: "TandemMail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Sources/Features/Accounts/TandemMail"),

        // The server: the features composed behind Hummingbird's listeners.
        .target(
            name: "TandemServer",
            dependencies: [
                "TandemConnection", "TandemRelay", "TandemRelaySQLite", "TandemSQLite", "TandemHone", "TandemSDS",
                "TandemSDSSQLite", "TandemLAN", "TandemLANSQLite", "TandemMerge", "TandemTinyBase", "TandemTinyHost",
                "TandemTinyHostSQLite", "TandemAuth", "TandemAuthSQLite", "TandemMail", "CQREncode", grdb,
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                logging,
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Server/TandemServer"),
        .executableTarget(
            name: "tandem",
            dependencies: [
                "TandemServer", "TandemAuth", "TandemChaos", "TandemBench", "TandemSDS", logging,
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/CLI/tandem"),

        // The client SDK, and the tools behind `tandem bench` and `tandem chaos`.
        .target(
            name: "TandemClient",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), logging,
            ],
            path: "Sources/SDK/TandemClient"),
        .target(
            name: "TandemBench",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Sources/Tools/TandemBench"),
        .target(name: "TandemChaos", dependencies: ["TandemClient"], path: "Sources/Tools/TandemChaos"),

        // System libraries from the distribution, and the one place libsodium is initialised.
        .systemLibrary(
            name: "CSodium", path: "Sources/System/CSodium", providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]),
        .systemLibrary(
            name: "CQREncode", path: "Sources/System/CQREncode",
            providers: [.apt(["libqrencode-dev"]), .brew(["qrencode"])]),
        .target(name: "TandemSodium", dependencies: ["CSodium"], path: "Sources/System/TandemSodium"),

        /// Helpers shared by the test targets (temporary files removed at exit).
        .target(name: "TandemTestSupport", path: "Tests/TandemTestSupport"),
        /// The checks a TinyBase v9.3+ client runs on what it receives, for the tests of what Tandem sends.
        .target(
            name: "TandemTinyBaseTestSupport", dependencies: ["TandemTinyBase"], path: "Tests/TandemTinyBaseTestSupport"
        ),
        .testTarget(name: "TandemConnectionTests", dependencies: ["TandemConnection"]),
        .testTarget(name: "TandemRelayTests", dependencies: ["TandemRelay", "TandemConnection"]),
        .testTarget(
            name: "TandemRelaySQLiteTests",
            dependencies: [
                "TandemRelaySQLite", "TandemRelay", "TandemConnection", "TandemSQLite", "TandemTestSupport", grdb,
            ]),
        .testTarget(name: "TandemHoneTests", dependencies: ["TandemHone", "TandemRelay", "TandemConnection"]),
        .testTarget(
            name: "TandemSDSTests",
            dependencies: [
                "TandemSDS", "TandemRelay", "TandemConnection", .product(name: "JWTKit", package: "jwt-kit"),
            ]),
        .testTarget(
            name: "TandemSDSSQLiteTests",
            dependencies: [
                "TandemSDSSQLite", "TandemSDS", "TandemRelay", "TandemConnection", "TandemRelaySQLite", "TandemSQLite",
                "TandemTestSupport",
                grdb,
            ]),
        .testTarget(
            name: "TandemLANTests",
            dependencies: ["TandemLAN", "TandemConnection", "TandemSodium", "TandemMerge", "CSodium"]),
        .testTarget(
            name: "TandemMergeTests",
            dependencies: ["TandemMerge", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "TandemTinyBaseTests", dependencies: ["TandemTinyBase", "TandemTinyBaseTestSupport"]),
        .testTarget(
            name: "TandemTinyHostTests",
            dependencies: [
                "TandemTinyHost", "TandemTinyHostSQLite", "TandemTinyBase", "TandemConnection", "TandemSQLite",
                "TandemTestSupport", "TandemTinyBaseTestSupport", grdb, logging,
            ]),
        .testTarget(
            name: "TandemAuthTests",
            dependencies: [
                "TandemAuth", "TandemAuthSQLite", "TandemRelay", "TandemConnection", "TandemSQLite",
                "TandemTestSupport",
            ]),
        .testTarget(
            name: "TandemAuthSQLiteTests",
            dependencies: ["TandemAuthSQLite", "TandemAuth", "TandemSQLite", "TandemTestSupport", grdb]),
        .testTarget(
            name: "TandemMailTests",
            dependencies: [
                "TandemMail", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]),
        .testTarget(
            name: "TandemServerTests", dependencies: ["TandemServer", "TandemLAN", "TandemSDS", "TandemTinyHost"]),
        .testTarget(
            name: "TandemClientTests",
            dependencies: [
                "TandemClient", "TandemTestSupport", .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
            ]),
        .testTarget(name: "TandemBenchTests", dependencies: ["TandemBench"]),
        .testTarget(
            name: "TandemEndToEndTests",
            dependencies: [
                "TandemServer", "TandemConnection", "TandemRelay", "TandemRelaySQLite", "TandemHone", "TandemSDS",
                "TandemSDSSQLite", "TandemAuth", "TandemAuthSQLite", "TandemClient", "TandemChaos", "TandemBench",
                "TandemLAN", "TandemLANSQLite", "TandemMerge", "TandemSodium", "CSodium", "TandemSQLite", "TandemMail",
                "TandemTinyHost", "TandemTinyHostSQLite", "TandemTinyBase", "TandemTestSupport", grdb, logging,
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// An import is internal unless it says otherwise: `public import` (or `package import`) marks a
// dependency whose types are part of a module's API.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("InternalImportsByDefault")]
}
