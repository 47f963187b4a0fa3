// swift-tools-version:6.1
// Micro-benchmarks of Tandem's hot path with ordo-one/benchmark. A package of its own, so the
// root package's build and `swift test` never build it: `cd Benchmarks && swift package benchmark`.
import PackageDescription

let package = Package(
    name: "TandemBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "tandem", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "HotPath",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TandemConnection", package: "tandem"),
                .product(name: "TandemRelay", package: "tandem"),
                .product(name: "TandemHone", package: "tandem"),
                .product(name: "TandemRelaySQLite", package: "tandem"),
            ],
            path: "Benchmarks/HotPath",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ],
    swiftLanguageModes: [.v6]
)
