import Foundation
import TandemTestSupport
import Testing

/// TinyBase's own client code against Tandem. The prebuilt ESM bundles of `createMergeableStore`
/// and `createWsSynchronizer` are read from a local TinyBase checkout at test time (`TINYBASE_REPO`)
/// and never committed here.
@Suite("Interop with TinyBase's own client", .timeLimit(.minutes(1)))
struct TinyBaseInteropTests {
    /// Released versions whose prebuilt bundles the repository carries, and the tag holding them.
    static let versions = [("v9.5.1", "9.5.1"), ("v8.5.0", "8.5.0"), ("v6.7.5", "6.7.5")]

    static func bundlePaths(_ version: String) -> [String: String] {
        [
            "tinybase.mjs": "docs/pseudo.esm.sh/tinybase@\(version)/index.js",
            "ws-client.mjs": "docs/pseudo.esm.sh/tinybase@\(version)/synchronizers/synchronizer-ws-client/index.js",
        ]
    }

    /// A directory holding the two bundles of a version, or nil when `TINYBASE_REPO` names no checkout.
    static func bundles(tag: String = "v9.5.1", version: String = "9.5.1") async -> String? {
        guard let repository = InteropRepository.named("TINYBASE_REPO") else { return nil }
        let directory = TestFiles.directory("tinybase")
        for (name, path) in bundlePaths(version) {
            guard await repository.extract(tag, path, to: directory.appendingPathComponent(name)) else { return nil }
        }
        return directory.path
    }

    static let available: @Sendable () async throws -> Bool = {
        guard await InteropRepository.hasNode() else { return false }
        return await bundles() != nil
    }

    @Test(
        "TinyBase's createWsSynchronizer syncs through Tandem: convergence, isolation, offline edits, heartbeat, 1009 and manual sync",
        .enabled(InteropRepository.missing("TINYBASE_REPO", "tinyplex/tinybase"), available),
        arguments: versions)
    func tinyBaseClient(tag: String, version: String) async throws {
        let directory = try #require(await Self.bundles(tag: tag, version: version))
        let server = try await TinyHostSyncTests.start()
        try await InteropRepository.runChecks(
            "tinybase_client.mjs", [server.httpURL, TinyHostSyncTests.namespace, directory], expecting: 6)
        try await server.stop()
    }

    /// Rows of about 2 KB in the large store: about 18.5 MB as one diff, past the 16 MiB frame TinyBase v9.3+ accepts.
    static let largeRows = 9_000
    static let sendBudget = 1 << 20

    @Test(
        "A late joiner with TinyBase's createWsSynchronizer syncs a store whose diff passes 16 MiB, in messages under the budget",
        .enabled(InteropRepository.missing("TINYBASE_REPO", "tinyplex/tinybase"), available),
        arguments: versions.prefix(2))
    func largeStore(tag: String, version: String) async throws {
        let directory = try #require(await Self.bundles(tag: tag, version: version))
        let server = try await TestServer.start([
            "tinyhost.password.ops": "1", "tinyhost.password.memory.kib": "8", "tinyhost.heartbeat.seconds": "0",
            "tinyhost.max.send.bytes": "\(Self.sendBudget)",
        ])
        let rssBefore = Self.residentBytes()
        let reports = try await InteropRepository.runChecks(
            "tinybase_large.mjs",
            [server.httpURL, TinyHostSyncTests.namespace, directory, "\(Self.largeRows)", "\(Self.sendBudget)"],
            expecting: 3, nodeOptions: ["--max-old-space-size=2048"])
        let rssAfter = Self.residentBytes()
        let whole = try #require(reports.first?["wholeDiffBytes"] as? Int, "\(reports)")
        #expect(whole > 16_777_216, "the store must pass TinyBase's frame limit")
        print("TinyBase \(version) large store: \(reports) server RSS \(rssBefore >> 20) → \(rssAfter >> 20) MiB")
        try await server.stop()
    }

    /// This process's resident memory (the server runs in it), from /proc; 0 where there is none.
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }
}
