import ArgumentParser

@main
struct Tandem: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tandem",
        abstract: "A self-hosted real-time sync server.",
        subcommands: [Serve.self, Token.self, Chaos.self, BenchCommand.self, LAN.self],
        defaultSubcommand: Serve.self)
}

/// Options shared by every command that reads the server configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: ./relay.conf when present).")
    var config: String?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override one setting, e.g. --set max.rooms=50.", valueName: "key=value"))
    var overrides: [String] = []

    func parsedOverrides() throws -> [(String, String)] {
        try overrides.map { pair in
            guard let equals = pair.firstIndex(of: "=") else {
                throw ValidationError("--set expects key=value, got '\(pair)'")
            }
            return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
        }
    }
}

/// A problem that stops a command before it does anything; printed without the usage text.
struct StartupError: Error, CustomStringConvertible {
    let description: String
}
