import Foundation
import Logging
import TandemAuth
import TandemMail

/// The accounts service's validated settings (auth.conf over the relay's). Built once at start-up.
public struct AccountsConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Empty means development mode: tokens are signed with a fixed development secret and the
    /// relay checks none.
    public var authSecret: String
    public var sqlitePath: String
    public var allowInsecure: Bool
    /// Empty: derived from the bound address at start-up.
    public var publicURL: String
    /// nil: login links are printed to the console.
    public var smtp: SMTPConfiguration?
    public var mailFrom: String
    public var settings: AccountSettings
    public var trustsForwardedFor: Bool
    public var logLevel: Logger.Level

    /// Signs development-mode tokens. Public on purpose: development mode is loopback-only.
    static let developmentSecret = "tandem-development-secret-not-for-production"

    public var isDevelopmentMode: Bool { authSecret.isEmpty }

    /// The secret device tokens are signed with.
    public var signingSecret: String { authSecret.isEmpty ? Self.developmentSecret : authSecret }

    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    init(settings values: ConfigLoader, relay: ServerConfiguration) throws(ConfigError) {
        func required<T>(_ value: T?, _ name: String) throws(ConfigError) -> T {
            guard let value else { throw ConfigError(description: "auth.conf \(name): missing value") }
            return value
        }
        host = try required(values.string("host"), "host")
        port = try ServerConfiguration.port(
            values, "port", following: relay.httpPort, offset: ServerConfiguration.accountsPortOffset)
        authSecret = values.string("auth.secret") ?? relay.authSecret
        sqlitePath = values.string("sqlite.path") ?? relay.sqlitePath
        allowInsecure = values.boolean("allow.insecure")
        publicURL = String(try required(values.string("public.url"), "public.url").trimmingSuffix("/"))
        logLevel = values.string("log.level").flatMap(Logger.Level.init(rawValue:)) ?? relay.logLevel
        trustsForwardedFor = values.boolean("forwarded.for")

        let smtpHost = try required(values.string("smtp.host"), "smtp.host")
        mailFrom = try required(values.string("smtp.from"), "smtp.from")
        if smtpHost.isEmpty {
            smtp = nil
        } else {
            guard !mailFrom.isEmpty else {
                throw ConfigError(description: "smtp.from: required when smtp.host is set (e.g. tandem@example.com)")
            }
            let user = values.string("smtp.user") ?? ""
            let security = values.string("smtp.security").flatMap(SMTPConfiguration.Security.init(rawValue:))
            let caFile = values.string("smtp.ca.file") ?? ""
            smtp = SMTPConfiguration(
                host: smtpHost, port: try required(values.integer("smtp.port"), "smtp.port"),
                user: user.isEmpty ? nil : user, password: values.string("smtp.password"),
                security: security ?? .startTLSIfOffered, trustRootsFile: caFile.isEmpty ? nil : caFile,
                timeout: .seconds(try required(values.integer("smtp.timeout.seconds"), "smtp.timeout.seconds")))
        }

        var settings = AccountSettings()
        settings.linkLifetimeMillis =
            Int64(try required(values.integer("login.link.seconds"), "login.link.seconds")) * 1000
        settings.maxLoginWait = .seconds(try required(values.integer("login.wait.seconds"), "login.wait.seconds"))
        settings.pairingLifetimeMillis =
            Int64(try required(values.integer("pairing.code.seconds"), "pairing.code.seconds")) * 1000
        settings.rateLimits.windowSeconds = try required(values.integer("rate.window.seconds"), "rate.window.seconds")
        settings.rateLimits.loginsPerEmail = try required(
            values.integer("rate.login.per.email"), "rate.login.per.email")
        settings.rateLimits.loginsPerAddress = try required(
            values.integer("rate.login.per.address"), "rate.login.per.address")
        settings.rateLimits.redeemsPerAddress = try required(
            values.integer("rate.redeem.per.address"), "rate.redeem.per.address")
        settings.quickSetupEnabled = values.boolean("quick.setup")
        settings.newUserTier = try required(values.string("tier.default").flatMap(Tier.init(rawValue:)), "tier.default")
        settings.tierLimits = TierLimits(
            free: try required(values.integer("tier.free.projects"), "tier.free.projects"),
            personal: try required(values.integer("tier.personal.projects"), "tier.personal.projects"))
        self.settings = settings

        if authSecret.isEmpty && !isLoopback && !allowInsecure {
            throw ConfigError(
                description: """
                    auth.secret is empty, so device tokens would be signed with a public development secret, and \
                    host \(host) is reachable from other machines. Set auth.secret, listen on 127.0.0.1, or set \
                    allow.insecure=true.
                    """)
        }
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> Substring {
        var text = Substring(self)
        while text.hasSuffix(suffix) { text = text.dropLast(suffix.count) }
        return text
    }
}

extension ConfigLoader {
    /// A loader for auth.conf's keys.
    public static func forAccounts() -> ConfigLoader { ConfigLoader(keys: ConfigKey.accounts) }

    /// The validated accounts configuration; keys auth.conf leaves unset take `relay`'s values.
    public func accountsConfiguration(relay: ServerConfiguration) throws(ConfigError) -> AccountsConfiguration {
        try AccountsConfiguration(settings: self, relay: relay)
    }

    /// Loads auth.conf as the commands do: `configPath` (which must exist) or else `./auth.conf` if
    /// present (unless `searchWorkingDirectory` is false), then `environment` (`TANDEM_ACCOUNTS_*`),
    /// then `overrides` in order.
    public static func loadAccounts(
        configPath: String?, searchWorkingDirectory: Bool = true, environment: [String: String],
        overrides: [(String, String)], relay: ServerConfiguration
    ) throws(ConfigError) -> (AccountsConfiguration, fileUsed: String?) {
        var loader = ConfigLoader.forAccounts()
        let file = try loader.applySources(
            configPath: configPath, defaultFile: searchWorkingDirectory ? "auth.conf" : nil, environment: environment,
            overrides: overrides)
        return (try loader.accountsConfiguration(relay: relay), file)
    }
}
