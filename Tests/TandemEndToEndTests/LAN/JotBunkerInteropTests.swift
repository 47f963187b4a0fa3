import Foundation
import Testing

/// JotBunker's own phone code against Tandem: `Tests/Interop/jotbunker_phone.mjs` loads JotBunker's shared sync
/// code and the phone's transport from a JotBunker repository at test time (never committed here) and follows the
/// phone's sync handlers for each generation.
@Suite("Interop with JotBunker's own phone code", .timeLimit(.minutes(1)))
struct JotBunkerInteropTests {
    typealias F = LANFixture

    /// JotBunker 1.0.7, whose shared code the harness loads unless `JOTBUNKER_COMMIT` says otherwise.
    static let commit = "f2319f03b2c0656cf264ce874309a4a8fea13a21"

    static let hasRepository: @Sendable () async throws -> Bool = {
        guard let repository = InteropRepository.named("JOTBUNKER_REPO") else { return false }
        let object = "\(ProcessInfo.processInfo.environment["JOTBUNKER_COMMIT"] ?? commit)^{commit}"
        let probe = ["git", "--git-dir=\(repository.gitDirectory)", "cat-file", "-e", object]
        return (try? await PythonInteropTests.run(probe).status) == 0
    }

    /// Node with WebSocket, and the `typescript` and `tweetnacl` packages (Debian: node-typescript, node-tweetnacl).
    static let hasNode: @Sendable () async throws -> Bool = {
        let probe = """
            const r = require('module').createRequire(process.cwd() + '/');
            for (const name of ['typescript', 'tweetnacl']) {
              try { r(name) } catch { r('/usr/share/nodejs/' + name) }
            }
            if (typeof WebSocket !== 'function') process.exit(1);
            """
        return (try? await PythonInteropTests.run(["node", "--experimental-websocket", "-e", probe]).status) == 0
    }

    @Test(
        "JotBunker's phone code, per generation, ends every sync holding the merged state",
        .enabled(InteropRepository.missing("JOTBUNKER_REPO", "johnbrantly/jotbunker"), hasRepository),
        .enabled("JOTBUNKER_REPO is set, but node 20 with node-typescript and node-tweetnacl is missing", hasNode),
        arguments: ["mode-only", "snapshot"])
    func jotBunkerPhone(generation: String) async throws {
        let repository = try #require(InteropRepository.named("JOTBUNKER_REPO")).gitDirectory
        let server = try await F.start()
        try await InteropRepository.runChecks(
            "jotbunker_phone.mjs", ["\(server.ports.lan ?? 0)", F.secret, generation, repository], expecting: 9)
        try await server.stop()
    }
}
