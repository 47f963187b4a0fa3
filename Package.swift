// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "tandem",
    platforms: [.macOS(.v15), .iOS(.v18)],
    products: [
        .executable(name: "tandem", targets: ["tandem"]),
        .library(name: "TandemCore", targets: ["TandemCore"]),
        .library(name: "TandemClient", targets: ["TandemClient"]),
        .library(name: "TandemMerge", targets: ["TandemMerge"]),
        // For the micro-benchmarks package in Benchmarks/.
        .library(name: "TandemHone", targets: ["TandemHone"]),
        .library(name: "TandemSQLite", targets: ["TandemSQLite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
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
        .target(name: "TandemCore"),
        .target(name: "TandemTinyBase"),
        .target(
            name: "TandemSQLite",
            dependencies: [
                "TandemCore", "TandemLAN", "TandemAuth", "TandemTinyBase", "TandemTinyHost", "TandemSDS",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "TandemAuth",
            dependencies: ["TandemCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "TandemTinyHost",
            dependencies: [
                "TandemCore", "TandemAuth", "TandemTinyBase", "CSodium",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TandemMail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "TandemHone",
            dependencies: ["TandemCore", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "TandemSDS",
            dependencies: [
                "TandemCore", .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TandemServer",
            dependencies: [
                "TandemCore", "TandemSQLite", "TandemHone", "TandemSDS", "TandemAuth", "TandemLAN", "CQREncode",
                "TandemMail", "TandemTinyBase", "TandemTinyHost",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "TandemClient",
            dependencies: [
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "TandemChaos", dependencies: ["TandemClient"]),
        .target(name: "TandemMerge"),
        .target(
            name: "TandemBench",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .systemLibrary(name: "CSodium", providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]),
        .systemLibrary(name: "CQREncode", providers: [.apt(["libqrencode-dev"]), .brew(["qrencode"])]),
        .target(
            name: "TandemLAN",
            dependencies: [
                "CSodium", "TandemCore", "TandemMerge", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "tandem",
            dependencies: [
                "TandemServer", "TandemAuth", "TandemChaos", "TandemBench", "TandemSDS",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        /// Helpers shared by the test targets (temporary files removed at exit).
        .target(name: "TandemTestSupport", path: "Tests/TandemTestSupport"),
        /// The checks a TinyBase v9.3+ client runs on what it receives, for the tests of what Tandem sends.
        .target(
            name: "TandemTinyBaseTestSupport", dependencies: ["TandemTinyBase"], path: "Tests/TandemTinyBaseTestSupport"
        ),
        .testTarget(name: "TandemCoreTests", dependencies: ["TandemCore"]),
        .testTarget(name: "TandemTinyBaseTests", dependencies: ["TandemTinyBase", "TandemTinyBaseTestSupport"]),
        .testTarget(
            name: "TandemSQLiteTests",
            dependencies: [
                "TandemSQLite", "TandemCore", "TandemAuth", "TandemTinyHost", "TandemSDS", "TandemTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "TandemHoneTests", dependencies: ["TandemHone", "TandemCore"]),
        .testTarget(
            name: "TandemAuthTests", dependencies: ["TandemAuth", "TandemCore", "TandemSQLite", "TandemTestSupport"]),
        .testTarget(
            name: "TandemTinyHostTests",
            dependencies: [
                "TandemTinyHost", "TandemTinyBase", "TandemCore", "TandemSQLite", "TandemTestSupport",
                "TandemTinyBaseTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TandemMailTests",
            dependencies: [
                "TandemMail", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "TandemSDSTests", dependencies: ["TandemSDS", "TandemCore"]),
        .testTarget(name: "TandemServerTests", dependencies: ["TandemServer"]),
        .testTarget(name: "TandemLANTests", dependencies: ["TandemLAN", "CSodium", "TandemMerge"]),
        .testTarget(name: "TandemClientTests", dependencies: ["TandemClient", "TandemTestSupport"]),
        .testTarget(name: "TandemBenchTests", dependencies: ["TandemBench"]),
        .testTarget(
            name: "TandemMergeTests",
            dependencies: ["TandemMerge", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "TandemEndToEndTests",
            dependencies: [
                "TandemServer", "TandemHone", "TandemSDS", "TandemAuth", "TandemClient", "TandemChaos", "TandemBench",
                "TandemLAN", "TandemMerge", "CSodium", "TandemSQLite", "TandemMail", "TandemTinyHost",
                "TandemTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
