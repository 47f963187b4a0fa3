import Foundation
import TandemTestSupport
import Testing

@testable import TandemSDS

@Suite("Interop with another language's WebSocket client", .timeLimit(.minutes(1)))
struct PythonInteropTests {
    static let interop = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop")
    static let hasWebsockets: @Sendable () async throws -> Bool = {
        (try? await run(["python3", "-c", "import websockets"]).status) == 0
    }

    /// Runs a process while the in-process server keeps its threads: polls for the exit instead of
    /// blocking a thread of the concurrency pool. The script's output is small enough for the pipe.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> (
        status: Int32, output: String
    ) {
        let process = Process()
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test(
        "Python's websockets client joins, relays, resumes and is refused as documented",
        .enabled("python3 with the websockets package is not installed", hasWebsockets))
    func pythonClient() async throws {
        let server = try await TestServer.start()
        let script = Self.interop.appendingPathComponent("hone_client.py").path
        let (status, output) = try await Self.run(["python3", script, server.webSocketURL])
        #expect(status == 0, "\(output)")
        try await server.stop()
    }

    @Test(
        "Python's websockets client is refused, relayed and replayed on the SDS endpoint as documented",
        .enabled("python3 with the websockets package is not installed", hasWebsockets))
    func pythonSDSClient() async throws {
        let sds = try await SDSFixture.start()
        let forger = try await SDSTokenAuthority(secret: String(repeating: "f", count: 40), issuer: nil)
        let tokens = [
            "write": try await sds.token(.write, store: "py-store"),
            "read": try await sds.token(.read, store: "py-store"),
            "other": try await sds.token(.write, store: "elsewhere"),
            "forged": try await forger.issue(subject: "x", store: "py-store", scope: .admin, lifetime: .seconds(60)),
            "expired": try await sds.token(.write, store: "py-store", lifetime: .seconds(0)),
            // alg "none", no signature: {"alg":"none"} . {"sub":"x","aud":"py-store","scope":"admin"} .
            "unsigned": "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwiYXVkIjoicHktc3RvcmUiLCJzY29wZSI6ImFkbWluIn0.",
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: tokens), as: UTF8.self)
        let script = Self.interop.appendingPathComponent("sds_client.py").path
        let (status, output) = try await Self.run(
            ["python3", script, "ws://127.0.0.1:\(sds.server.ports.http)"], environment: ["TOKENS": json])
        #expect(status == 0, "\(output)")
        try await sds.server.stop()
    }

    /// The SDS commit the interop scripts were written against.
    static let sdsCommit = "1fd840925006a458c0bf6fd23cd0ed0b55cad010"

    /// A file of SDS's own code at `sdsCommit`, extracted from the checkout `SDS_REPO` names into a
    /// test folder; nil without one.
    static func sdsFile(_ path: String, as name: String) async -> String? {
        guard let repository = InteropRepository.named("SDS_REPO") else { return nil }
        let file = TestFiles.directory("sds-client").appendingPathComponent(name)
        return await repository.extract(sdsCommit, path, to: file) ? file.path : nil
    }

    /// SDS's own WebSocket provider, `sds-network-websocket.js`.
    static func sdsProvider() async -> String? {
        await sdsFile("packages/network-websocket/dist/sds-network-websocket.js", as: "sds-network-websocket.mjs")
    }

    /// SDS's self-contained Y.js bundle: store, sync engine and WebSocket provider.
    static func sdsEngineBundle() async -> String? {
        await sdsFile("packages/browser-bundle-yjs/dist/sds-browser-bundle-yjs.js", as: "sds-bundle-yjs.mjs")
    }

    static let hasNodeAndEngine: @Sendable () async throws -> Bool = {
        guard await InteropRepository.hasNode() else { return false }
        return await sdsEngineBundle() != nil
    }

    static let hasNodeAndProvider: @Sendable () async throws -> Bool = {
        guard await InteropRepository.hasNode() else { return false }
        return await sdsProvider() != nil
    }

    /// Runs `script` (in Tests/Interop) under node against a fresh SDS server, with SDS's own code at
    /// `client` and write and read tokens for `store`; the script exits 0 when every check passes.
    func runSDSScript(_ script: String, client: String, store: String) async throws {
        let sds = try await SDSFixture.start()
        let tokens = [
            "write": try await sds.token(.write, store: store), "read": try await sds.token(.read, store: store),
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: tokens), as: UTF8.self)
        let (status, output) = try await Self.run(
            [
                "node", "--experimental-websocket", "--no-warnings", Self.interop.appendingPathComponent(script).path,
                client, "ws://127.0.0.1:\(sds.server.ports.http)",
            ],
            environment: ["TOKENS": json])
        #expect(status == 0, "\(output)")
        try await sds.server.stop()
    }

    @Test(
        "SDS's own WebSocket provider syncs through Tandem: patches, a chunked value, presence, replay",
        .enabled(InteropRepository.missing("SDS_REPO", "rozek/shareable-data-store"), hasNodeAndProvider))
    func sdsProviderClient() async throws {
        let provider = try #require(await Self.sdsProvider())
        try await runSDSScript("sds_provider.mjs", client: provider, store: "node-store")
    }

    @Test(
        "SDS's own sync engine: two writers and a large value, then a late joiner gets every entry from the server alone",
        .enabled(InteropRepository.missing("SDS_REPO", "rozek/shareable-data-store"), hasNodeAndEngine))
    func sdsSyncEngine() async throws {
        let bundle = try #require(await Self.sdsEngineBundle())
        try await runSDSScript("sds_engine.mjs", client: bundle, store: "engine-store")
    }
}
