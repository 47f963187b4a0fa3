import ArgumentParser
import Foundation
import Logging
import TandemAuth
import TandemServer

struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Administer accounts in the configured database.",
        subcommands: [Users.self, SetTier.self])

    /// The accounts service over the configured database, without listening anywhere.
    static func openService(_ options: ConfigOptions, _ accountsOptions: AccountsOptions) throws -> AccountService {
        let (_, _, accounts, _) = try accountsOptions.load(relay: options)
        do {
            return try AccountsServer(configuration: accounts, logger: Logger(label: "tandem-admin")).service
        } catch {
            throw StartupError(description: "cannot open sqlite.path \(accounts.sqlitePath): \(error)")
        }
    }

    static func date(_ millis: Int64?) -> String {
        guard let millis else { return "never" }
        return ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    struct Users: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every account with its tier and counts.")

        @OptionGroup var options: ConfigOptions
        @OptionGroup var accountsOptions: AccountsOptions

        func run() async throws {
            let service = try Admin.openService(options, accountsOptions)
            let users = try await service.users()
            print("id\temail\ttier\texpires\tdevices\tprojects\tcreated")
            for summary in users {
                print(
                    [
                        "\(summary.user.id)", summary.user.email ?? "(quick setup)", summary.subscription.tier.rawValue,
                        Admin.date(summary.subscription.expiresAt), "\(summary.devices)", "\(summary.projects)",
                        Admin.date(summary.user.createdAt),
                    ].joined(separator: "\t"))
            }
        }
    }

    struct SetTier: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-tier", abstract: "Set a user's tier and when it expires.")

        @OptionGroup var options: ConfigOptions
        @OptionGroup var accountsOptions: AccountsOptions

        @Argument(help: "User id or email.")
        var user: String

        @Argument(help: "free, personal, pro or team.")
        var tier: String

        @Option(help: "Expiry as YYYY-MM-DD (UTC midnight) or an ISO 8601 time; 'never' (the default) for none.")
        var expires = "never"

        func validate() throws {
            guard Tier(rawValue: tier) != nil else {
                throw ValidationError("tier must be one of \(Tier.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            _ = try expiry()
        }

        func expiry() throws -> Int64? {
            if expires == "never" { return nil }
            let full = ISO8601DateFormatter()
            let day = ISO8601DateFormatter()
            day.formatOptions = [.withFullDate]
            guard let date = full.date(from: expires) ?? day.date(from: expires) else {
                throw ValidationError("--expires must be YYYY-MM-DD, an ISO 8601 time, or never")
            }
            return Int64(date.timeIntervalSince1970 * 1000)
        }

        func run() async throws {
            let service = try Admin.openService(options, accountsOptions)
            let record = try await service.findUser(user)
            let subscription = Subscription(tier: Tier(rawValue: tier) ?? .free, expiresAt: try expiry())
            try await service.setSubscription(of: record.id, to: subscription)
            print(
                "user \(record.id) (\(record.email ?? "no email")): \(tier), expires \(Admin.date(subscription.expiresAt))"
            )
        }
    }
}
