import ArgumentParser
import Foundation
import TandemServer

@main
struct Tandem: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tandem",
        abstract: "A self-hosted real-time sync server.",
        subcommands: [Serve.self, Auth.self, Admin.self, Token.self, Chaos.self, BenchCommand.self, LAN.self],
        defaultSubcommand: Serve.self)
}

/// Options shared by every command that reads the server configuration.
struct ConfigOptions: ParsableArguments {
    init() {}

    init(config: String?, overrides: [String]) {
        self.config = config
        self.overrides = overrides
    }

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

/// Options for the accounts service's settings (auth.conf).
struct AccountsOptions: ParsableArguments {
    @Option(name: .customLong("auth-config"), help: "Accounts configuration file (default: ./auth.conf when present).")
    var config: String?

    @Option(
        name: .customLong("auth-set"),
        help: ArgumentHelp("Override one auth.conf setting, e.g. --auth-set quick.setup=true.", valueName: "key=value"))
    var overrides: [String] = []

    /// Loads relay.conf (as `relay` options say) and then auth.conf over it.
    func load(relay: ConfigOptions, relayOverrides: [(String, String)] = []) throws -> (
        ServerConfiguration, relayFile: String?, AccountsConfiguration, accountsFile: String?
    ) {
        let environment = ProcessInfo.processInfo.environment
        let accountOverrides = try ConfigOptions(config: nil, overrides: overrides).parsedOverrides()
        do {
            let (relayConfiguration, relayFile) = try ConfigLoader.load(
                configPath: relay.config, environment: environment,
                overrides: try relay.parsedOverrides() + relayOverrides)
            let (accounts, accountsFile) = try ConfigLoader.loadAccounts(
                configPath: config, environment: environment, overrides: accountOverrides, relay: relayConfiguration)
            return (relayConfiguration, relayFile, accounts, accountsFile)
        } catch {
            throw StartupError(description: "configuration: \(error)")
        }
    }
}
