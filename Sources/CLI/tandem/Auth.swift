import ArgumentParser
import Foundation
import Logging
import TandemServer

struct Auth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the accounts service alone (magic-link login, devices, projects, pairing codes).",
        discussion: """
            Reads relay.conf for the shared settings (auth.secret, sqlite.path) and auth.conf over it. A relay \
            started separately with the same auth.secret accepts the tokens it issues.
            """)

    @OptionGroup var options: ConfigOptions

    @OptionGroup var accountsOptions: AccountsOptions

    func run() async throws {
        let (_, _, accounts, file) = try accountsOptions.load(relay: options)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = accounts.logLevel
            return handler
        }
        let logger = Logger(label: "tandem-auth")
        let server: AccountsServer
        do {
            server = try AccountsServer(configuration: accounts, logger: logger)
        } catch {
            throw StartupError(description: "cannot open sqlite.path \(accounts.sqlitePath): \(error)")
        }
        let group = server.makeServiceGroup { port in
            let lines = ["Tandem accounts \(TandemServer.version)"] + Self.bannerLines(accounts, port: port, file: file)
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        try await group.run()
    }

    static func bannerLines(_ accounts: AccountsConfiguration, port: Int, file: String?) -> [String] {
        let host = accounts.host.contains(":") ? "[\(accounts.host)]" : accounts.host
        var lines = [
            "  Accounts   http://\(host):\(port)/auth/  (storage: \(accounts.sqlitePath))",
            "  Auth conf  \(file ?? "defaults (no auth.conf)")",
            "  Mail       \(accounts.smtp.map { "SMTP \($0.host):\($0.port)" } ?? "login links printed here (no smtp.host)")",
        ]
        if accounts.isDevelopmentMode {
            lines.append("  DEVELOPMENT MODE: device tokens are signed with a public development secret.")
        }
        return lines
    }
}
