import ArgumentParser
import Foundation
import TandemChaos

struct Chaos: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prove delivery under failure: send with acks while connections are cut and the server is SIGKILLed.",
        discussion: """
            Starts its own `tandem serve` on loopback with a temporary database, runs the scenario and prints a
            summary. Exits non-zero if anything acknowledged was lost, duplicated or reordered. Raise --messages
            for a soak test.
            """)

    @Option(help: "Number of clients in the room.")
    var clients = 4

    @Option(help: "Messages each client sends.")
    var messages = 500

    @Option(help: "Messages each client keeps in flight.")
    var window = 8

    @Option(help: "Probability (0-1) that a chaos event kills the server instead of cutting one client.")
    var killProbability = 0.3

    @Option(help: "The tandem executable to run as the server (default: this one).")
    var server: String?

    @Flag(help: "Print each chaos event.")
    var verbose = false

    func validate() throws {
        guard clients >= 2 else { throw ValidationError("--clients must be at least 2") }
        guard messages >= 1, window >= 1 else { throw ValidationError("--messages and --window must be positive") }
        guard (0...1).contains(killProbability) else { throw ValidationError("--kill-probability must be in 0...1") }
    }

    func run() async throws {
        var options = ChaosScenario.Options(executable: server ?? Self.ownExecutable())
        options.clients = clients
        options.messagesPerClient = messages
        options.window = window
        options.killProbability = killProbability
        let verbose = self.verbose
        let report = try await ChaosScenario(options: options).run { line in
            if verbose { print(line) }
        }
        print(report)
        if !report.passed { throw ExitCode.failure }
    }

    static func ownExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
