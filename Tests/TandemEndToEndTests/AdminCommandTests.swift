import Foundation
import Testing

@Suite(
    "tandem admin",
    .timeLimit(.minutes(1)),
    .enabled(if: ChaosTests.executable != nil, "the tandem executable was not built beside the tests"))
struct AdminCommandTests {
    /// Runs `tandem` with `arguments` on the database at `path`, polling for its exit.
    static func tandem(_ arguments: [String], database path: String) async throws -> (status: Int32, output: String) {
        // Empty configuration files, so nothing in the working directory is read.
        let empty = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("empty.conf").path
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(ChaosTests.executable))
        process.arguments =
            arguments + ["--config", empty, "--auth-config", empty, "--set", "sqlite.path=\(path)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test("users lists accounts; set-tier changes a user's tier and expiry, found by id or email")
    func usersAndSetTier() async throws {
        let server = try await TestServer.start(accounts: ["quick.setup": "true", "tier.default": "free"])
        let quick = try await http("GET", "\(server.accountsURL)/auth/quick-setup?deviceName=ide&platform=linux")
        let token = try #require(quick["deviceToken"] as? String)
        let userId = try #require(quick["userId"] as? Int)
        let path = server.databasePath

        let listed = try await Self.tandem(["admin", "users"], database: path)
        #expect(listed.status == 0, "\(listed.output)")
        #expect(listed.output.contains("\(userId)\t(quick setup)\tfree\tnever\t1\t0"), "\(listed.output)")

        let set = try await Self.tandem(
            ["admin", "set-tier", "\(userId)", "personal", "--expires", "2099-01-31"], database: path)
        #expect(set.status == 0, "\(set.output)")
        let subscription = try await http("GET", "\(server.accountsURL)/auth/subscription", bearer: token)
        #expect(subscription["tier"] as? String == "personal")
        #expect(subscription["expiresAt"] as? Int == 4_073_500_800_000)
        #expect(
            try await http(
                "POST", "\(server.accountsURL)/auth/project", bearer: token, json: ["projectKey": "p"]
            ).status == 201)

        let bad = try await Self.tandem(["admin", "set-tier", "\(userId)", "gold"], database: path)
        #expect(bad.status != 0)
        #expect(bad.output.contains("tier must be one of"))
        let missing = try await Self.tandem(["admin", "set-tier", "nobody@example.test", "pro"], database: path)
        #expect(missing.status != 0)
        try await server.stop()
    }
}
