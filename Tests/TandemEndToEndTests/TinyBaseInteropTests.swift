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
        let script = PythonInteropTests.interop.appendingPathComponent("tinybase_client.mjs").path
        let (status, output) = try await PythonInteropTests.run([
            "node", "--experimental-websocket", "--no-warnings", script, server.httpURL, TinyHostSyncTests.namespace,
            directory,
        ])
        #expect(status == 0, "\(output)")
        let reports = output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(reports.count == 6, "\(output)")
        for report in reports { #expect(report["ok"] as? Bool == true, "\(report)") }
        try await server.stop()
    }
}
