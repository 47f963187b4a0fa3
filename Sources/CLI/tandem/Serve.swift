import ArgumentParser
import Foundation
import Logging
import TandemServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the relay (HTTP with /ws, the WebSocket port) and the accounts service beside it.")

    @OptionGroup var options: ConfigOptions

    @OptionGroup var accountsOptions: AccountsOptions

    @Flag(help: "Run the relay alone, without the accounts service.")
    var noAccounts = false

    @Option(help: "Address to listen on (setting: host).")
    var host: String?

    @Option(help: "HTTP port; the WebSocket port defaults to this + 1 (setting: port).")
    var port: Int?

    @Flag(help: "Allow development mode (no auth.secret) on a non-loopback address.")
    var insecure = false

    func run() async throws {
        var overrides = try options.parsedOverrides()
        if let host { overrides.append(("host", host)) }
        if let port { overrides.append(("port", String(port))) }
        if insecure { overrides.append(("allow.insecure", "true")) }
        try await Self.start(
            options: options, accountsOptions: accountsOptions, noAccounts: noAccounts, overrides: overrides)
    }

    /// Loads the configuration with `overrides`, starts the server (with the accounts service
    /// unless `noAccounts`) and runs it until SIGTERM or SIGINT.
    static func start(
        options: ConfigOptions, accountsOptions: AccountsOptions, noAccounts: Bool, overrides: [(String, String)]
    ) async throws {

        let (configuration, file, accounts, accountsFile) = try accountsOptions.load(
            relay: options, relayOverrides: overrides)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = configuration.logLevel
            return handler
        }
        let logger = Logger(label: "tandem")
        for warning in configuration.warnings { logger.warning("\(warning)") }
        let composition: TandemServer
        do {
            composition = try TandemServer(
                configuration: configuration, accounts: noAccounts ? nil : accounts, logger: logger)
        } catch {
            throw StartupError(description: "configuration: \(error)")
        }
        let server = try await composition.open()
        let accountsShown = noAccounts ? nil : accounts
        let group = server.makeServiceGroup { ports in
            // Written unbuffered so it shows at once when stdout is a pipe or file.
            FileHandle.standardOutput.write(
                Data(
                    (Self.banner(
                        configuration, ports: ports, file: file, lanSecret: server.lanSecret,
                        accounts: accountsShown, accountsFile: accountsFile)
                        + "\n").utf8))
        }
        try await group.run()
    }

    static func banner(
        _ configuration: ServerConfiguration, ports: BoundPorts, file: String?, lanSecret: String?,
        accounts: AccountsConfiguration?, accountsFile: String?
    ) -> String {
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let (http, ws) = configuration.tls == nil ? ("http", "ws") : ("https", "wss")
        var lines = [
            "Tandem \(TandemServer.version)",
            "  HTTP       \(http)://\(host):\(ports.http)/  (health: /health, relay: \(ws)://\(host):\(ports.http)/ws)",
            "  WebSocket  \(ws)://\(host):\(ports.webSocket)/",
            "  Storage    \(configuration.sqlitePath)",
            "  Config     \(file ?? "defaults (no relay.conf)")",
        ]
        if configuration.tinyHost.isEnabled {
            lines.append(
                "  TinyHost   \(http)://\(host):\(ports.http)/{namespace}/sign-up, sign-in; TinyBase sync at "
                    + "\(ws)://\(host):\(ports.http)/{namespace}/ws?sessionUuid=…")
        }
        if let accounts, let port = ports.accounts {
            lines.append(contentsOf: Auth.bannerLines(accounts, port: port, file: accountsFile))
        }
        if let lanPort = ports.lan, let lanSecret {
            let code = PairingCode(
                host: PairingCode.advertisedAddress(for: configuration.lan.host), port: lanPort, secret: lanSecret)
            lines.append("  LAN        ws://\(configuration.lan.host):\(lanPort)/  (JotBunker phones)")
            lines.append("  Pairing    \(code.payload)")
            if let qr = code.terminalQR() { lines.append(qr) }
        }
        if let tls = configuration.tls {
            lines.append("  TLS        \(tls.certificatePath) (TLS \(tls.minimumVersion.rawValue)+; SIGHUP reloads it)")
        }
        if configuration.conformanceEcho {
            lines.append(
                "  CONFORMANCE MODE: every WebSocket port echoes at \(ConformanceEcho.path) (conformance.echo).")
        }
        if configuration.isDevelopmentMode {
            lines.append("  DEVELOPMENT MODE: auth.secret is empty, so device tokens are NOT checked.")
        }
        return lines.joined(separator: "\n")
    }
}
