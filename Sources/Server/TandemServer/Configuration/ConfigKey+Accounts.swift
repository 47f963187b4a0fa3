import TandemAuth

extension ConfigKey {
    /// Every key auth.conf accepts. README's auth.conf table lists the same. Keys without a
    /// default (`auth.secret`, `sqlite.path`, `log.level`) take the relay's value.
    static let accounts: [ConfigKey] = [
        account("host", .string, "127.0.0.1", "Address the accounts service listens on"),
        account(
            "port", .integer(0...65535), nil,
            "Accounts HTTP port; default the relay's port + 2 (0 when that is 0: a free port)"),
        account("auth.secret", .string, nil, "Secret that signs device tokens; default: the relay's auth.secret"),
        account("sqlite.path", .path, nil, "SQLite file for accounts; default: the relay's sqlite.path"),
        account("allow.insecure", .boolean, "false", "Allow an empty auth.secret on a non-loopback host"),
        account("public.url", .string, "", "Base URL of links in mail; default http://host:port"),
        account("smtp.host", .string, "", "SMTP server; empty = print login links to the console"),
        account("smtp.port", .integer(1...65535), "587", "SMTP port"),
        account("smtp.user", .string, "", "SMTP user; empty = no AUTH"),
        account("smtp.password", .string, "", "SMTP password"),
        account("smtp.from", .string, "", "From address of login mail (required with smtp.host)"),
        account(
            "smtp.security", .choice(["auto", "starttls", "tls", "off"]), "auto",
            "auto: STARTTLS when offered; starttls: required; tls: implicit TLS (465); off: never"),
        account("smtp.ca.file", .string, "", "PEM certificates to trust for the SMTP server instead of the system's"),
        account("smtp.timeout.seconds", .integer(1...600), "30", "Longest wait for the SMTP server at each step"),
        account("login.link.seconds", .integer(1...86_400), "900", "How long a login link works"),
        account("login.wait.seconds", .integer(1...600), "60", "Longest a waiting app's request is held open"),
        account("pairing.code.seconds", .integer(1...86_400), "300", "How long a pairing code works"),
        account("rate.window.seconds", .integer(1...86_400), "900", "Window the rate limits below count in"),
        account("rate.login.per.email", .integer(1...1_000_000), "5", "Login links per email address per window"),
        account(
            "rate.login.per.address", .integer(1...1_000_000), "20",
            "Logins and quick setups per client address per window"),
        account(
            "rate.redeem.per.address", .integer(1...1_000_000), "10",
            "Pairing-code redemptions per client address per window"),
        account("quick.setup", .boolean, "false", "Allow /auth/quick-setup to create accounts without email"),
        account("tier.default", .choice(Tier.allCases.map(\.rawValue)), "pro", "Tier of new accounts"),
        account("tier.free.projects", .integer(0...1_000_000), "0", "Synced projects the free tier allows"),
        account("tier.personal.projects", .integer(0...1_000_000), "1", "Synced projects the personal tier allows"),
        account(
            "forwarded.for", .boolean, "false",
            "Take the client address from X-Forwarded-For (only behind a reverse proxy)"),
        account(
            "log.level", .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]), nil,
            "Log level of `tandem auth`; default: the relay's"),
    ]

    private static func account(_ name: String, _ kind: Kind, _ defaultValue: String?, _ help: String) -> ConfigKey {
        ConfigKey(name, kind, defaultValue, help, environmentPrefix: "TANDEM_ACCOUNTS_")
    }
}
