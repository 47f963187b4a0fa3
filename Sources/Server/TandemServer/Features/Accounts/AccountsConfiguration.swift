import Foundation
package import Logging
package import TandemAuth
package import TandemMail

/// The accounts service's validated settings (auth.conf over the relay's). Built once at start-up.
package struct AccountsConfiguration: Sendable {
    package var host: String
    package var port: Int
    /// Empty means development mode: tokens are signed with a fixed development secret and the
    /// relay checks none.
    package var authSecret: String
    package var sqlitePath: String
    package var allowInsecure: Bool
    /// Empty: derived from the bound address at start-up.
    package var publicURL: String
    /// nil: login links are printed to the console.
    package var smtp: SMTPConfiguration?
    package var mailFrom: String
    package var settings: AccountSettings
    package var trustsForwardedFor: Bool
    /// The relay's admission and handshake settings, which the accounts port keeps too (relay.conf's
    /// `max.connections.per.address`, `rate.connections.*`, `handshake.timeout.seconds`, `proxy.*`).
    let relayListeners: ServerConfiguration
    package var logLevel: Logger.Level

    /// Signs development-mode tokens. Public on purpose: development mode is loopback-only.
    static let developmentSecret = "tandem-development-secret-not-for-production"

    package var isDevelopmentMode: Bool { authSecret.isEmpty }

    /// The secret device tokens are signed with.
    package var signingSecret: String { authSecret.isEmpty ? Self.developmentSecret : authSecret }

    package var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    init(settings values: ConfigLoader, relay: ServerConfiguration) throws(ConfigError) {
        typealias Keys = AccountsFeature.Keys
        host = values[Keys.host]
        port = try ServerConfiguration.port(
            values.given(Keys.port), "port", following: relay.httpPort, offset: ServerConfiguration.accountsPortOffset)
        authSecret = values.given(Keys.authSecret) ?? relay.authSecret
        sqlitePath = values.given(Keys.sqlitePath) ?? relay.sqlitePath
        allowInsecure = values[Keys.allowInsecure]
        publicURL = String(values[Keys.publicURL].trimmingSuffix("/"))
        logLevel = values.given(Keys.logLevel) ?? relay.logLevel
        trustsForwardedFor = values[Keys.forwardedFor]
        relayListeners = relay

        let smtpHost = values[Keys.smtpHost]
        mailFrom = values[Keys.smtpFrom]
        if smtpHost.isEmpty {
            smtp = nil
        } else {
            guard !mailFrom.isEmpty else {
                throw ConfigError(description: "smtp.from: required when smtp.host is set (e.g. tandem@example.com)")
            }
            let user = values[Keys.smtpUser]
            let caFile = values[Keys.smtpCAFile]
            smtp = SMTPConfiguration(
                host: smtpHost, port: values[Keys.smtpPort], user: user.isEmpty ? nil : user,
                password: values.given(Keys.smtpPassword), security: values[Keys.smtpSecurity],
                trustRootsFile: caFile.isEmpty ? nil : caFile, timeout: .seconds(values[Keys.smtpTimeoutSeconds]))
        }

        var settings = AccountSettings()
        settings.linkLifetimeMillis = Int64(values[Keys.loginLinkSeconds]) * 1000
        settings.maxLoginWait = .seconds(values[Keys.loginWaitSeconds])
        settings.pairingLifetimeMillis = Int64(values[Keys.pairingCodeSeconds]) * 1000
        settings.rateLimits.windowSeconds = values[Keys.rateWindowSeconds]
        settings.rateLimits.loginsPerEmail = values[Keys.loginsPerEmail]
        settings.rateLimits.loginsPerAddress = values[Keys.loginsPerAddress]
        settings.rateLimits.redeemsPerAddress = values[Keys.redeemsPerAddress]
        settings.quickSetupEnabled = values[Keys.quickSetup]
        settings.newUserTier = values[Keys.defaultTier]
        settings.tierLimits = TierLimits(free: values[Keys.freeProjects], personal: values[Keys.personalProjects])
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
    package static func forAccounts() -> ConfigLoader { ConfigLoader(keys: AccountsFeature.Keys.all) }

    /// The validated accounts configuration; keys auth.conf leaves unset take `relay`'s values.
    package func accountsConfiguration(relay: ServerConfiguration) throws(ConfigError) -> AccountsConfiguration {
        try AccountsConfiguration(settings: self, relay: relay)
    }

    /// Loads auth.conf as the commands do: `configPath` (which must exist) or else `./auth.conf` if
    /// present (unless `searchWorkingDirectory` is false), then `environment` (`TANDEM_ACCOUNTS_*`),
    /// then `overrides` in order.
    package static func loadAccounts(
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
