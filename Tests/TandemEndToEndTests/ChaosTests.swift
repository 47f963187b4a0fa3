import Foundation
import TandemChaos
import Testing

@Suite("Nothing lost under failure")
struct ChaosTests {
    /// The `tandem` executable beside the test binary (`swift test` builds every product).
    static var executable: String? {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("tandem").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    @Test(
        "acknowledged messages reach every member exactly once, in order, through cuts and SIGKILLs",
        .enabled(if: executable != nil, "the tandem executable was not built beside the tests"),
        .timeLimit(.minutes(2)))
    func chaos() async throws {
        var options = ChaosScenario.Options(executable: try #require(Self.executable))
        options.clients = 3
        options.messagesPerClient = 200
        options.killProbability = 0.35
        options.window = 4
        let report = try await ChaosScenario(options: options).run()
        print(report)
        #expect(report.passed, "\(report)")
        #expect(report.acknowledged == 600)
        #expect(report.serverKills > 0 && report.connectionCuts > 0, "chaos happened")
    }
}
