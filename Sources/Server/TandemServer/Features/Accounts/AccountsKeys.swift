import Logging
import TandemAuth
import TandemMail

extension AccountsFeature {
    /// The keys of auth.conf (environment: `TANDEM_ACCOUNTS_` + the key). Keys without a default
    /// (`port`, `auth.secret`, `sqlite.path`, `log.level`) follow the relay's settings. Defaults
    /// come from `AccountSettings`.
    enum Keys {
        static let prefix = "TANDEM_ACCOUNTS_"
        private static let defaults = AccountSettings()

        static let host = Setting.text(
            "host", "127.0.0.1", "Address the accounts service listens on", prefix: prefix)
        static let port = Setting.integer(
            "port", 0...65535, nil, "Accounts HTTP port; default the relay's port + 2 (0 when that is 0: a free port)",
            prefix: prefix)
        static let authSecret = Setting.text(
            "auth.secret", nil, "Secret that signs device tokens; default: the relay's auth.secret", prefix: prefix)
        static let sqlitePath = Setting.text(
            "sqlite.path", nil, "SQLite file for accounts; default: the relay's sqlite.path", path: true,
            prefix: prefix)
        static let allowInsecure = Setting.boolean(
            "allow.insecure", false, "Allow an empty auth.secret on a non-loopback host", prefix: prefix)
        static let publicURL = Setting.text(
            "public.url", "", "Base URL of links in mail; default http://host:port", prefix: prefix)
        static let smtpHost = Setting.text(
            "smtp.host", "", "SMTP server; empty = print login links to the console", prefix: prefix)
        static let smtpPort = Setting.integer("smtp.port", 1...65535, 587, "SMTP port", prefix: prefix)
        static let smtpUser = Setting.text("smtp.user", "", "SMTP user; empty = no AUTH", prefix: prefix)
        static let smtpPassword = Setting.text("smtp.password", "", "SMTP password", prefix: prefix)
        static let smtpFrom = Setting.text(
            "smtp.from", "", "From address of login mail (required with smtp.host)", prefix: prefix)
        static let smtpSecurity = Setting<SMTPConfiguration.Security>.choice(
            "smtp.security", .startTLSIfOffered,
            "auto: STARTTLS when offered; starttls: required; tls: implicit TLS (465); off: never", prefix: prefix)
        static let smtpCAFile = Setting.text(
            "smtp.ca.file", "", "PEM certificates to trust for the SMTP server instead of the system's",
            prefix: prefix)
        static let smtpTimeoutSeconds = Setting.integer(
            "smtp.timeout.seconds", 1...600, 30, "Longest wait for the SMTP server at each step", prefix: prefix)
        static let loginLinkSeconds = Setting.integer(
            "login.link.seconds", 1...86_400, Int(defaults.linkLifetimeMillis / 1000), "How long a login link works",
            prefix: prefix)
        static let loginWaitSeconds = Setting.integer(
            "login.wait.seconds", 1...600, Int(defaults.maxLoginWait.components.seconds),
            "Longest a waiting app's request is held open", prefix: prefix)
        static let pairingCodeSeconds = Setting.integer(
            "pairing.code.seconds", 1...86_400, Int(defaults.pairingLifetimeMillis / 1000),
            "How long a pairing code works", prefix: prefix)
        static let rateWindowSeconds = Setting.integer(
            "rate.window.seconds", 1...86_400, defaults.rateLimits.windowSeconds,
            "Window the rate limits below count in", prefix: prefix)
        static let loginsPerEmail = Setting.integer(
            "rate.login.per.email", 1...1_000_000, defaults.rateLimits.loginsPerEmail,
            "Login links per email address per window", prefix: prefix)
        static let loginsPerAddress = Setting.integer(
            "rate.login.per.address", 1...1_000_000, defaults.rateLimits.loginsPerAddress,
            "Logins and quick setups per client address per window", prefix: prefix)
        static let redeemsPerAddress = Setting.integer(
            "rate.redeem.per.address", 1...1_000_000, defaults.rateLimits.redeemsPerAddress,
            "Pairing-code redemptions per client address per window", prefix: prefix)
        static let quickSetup = Setting.boolean(
            "quick.setup", defaults.quickSetupEnabled, "Allow /auth/quick-setup to create accounts without email",
            prefix: prefix)
        static let defaultTier = Setting<Tier>.choice(
            "tier.default", defaults.newUserTier, "Tier of new accounts", prefix: prefix)
        static let freeProjects = Setting.integer(
            "tier.free.projects", 0...1_000_000, defaults.tierLimits.free, "Synced projects the free tier allows",
            prefix: prefix)
        static let personalProjects = Setting.integer(
            "tier.personal.projects", 0...1_000_000, defaults.tierLimits.personal,
            "Synced projects the personal tier allows", prefix: prefix)
        static let forwardedFor = Setting.boolean(
            "forwarded.for", false, "Take the client address from X-Forwarded-For (only behind a reverse proxy)",
            prefix: prefix)
        static let logLevel = Setting<Logger.Level>.choice(
            "log.level", nil, "Log level of `tandem auth`; default: the relay's", prefix: prefix)

        static let all = [
            host.key, port.key, authSecret.key, sqlitePath.key, allowInsecure.key, publicURL.key, smtpHost.key,
            smtpPort.key, smtpUser.key, smtpPassword.key, smtpFrom.key, smtpSecurity.key, smtpCAFile.key,
            smtpTimeoutSeconds.key, loginLinkSeconds.key, loginWaitSeconds.key, pairingCodeSeconds.key,
            rateWindowSeconds.key, loginsPerEmail.key, loginsPerAddress.key, redeemsPerAddress.key, quickSetup.key,
            defaultTier.key, freeProjects.key, personalProjects.key, forwardedFor.key, logLevel.key,
        ]
    }
}
