import Testing

@testable import TandemServer

@Suite("Accounts configuration (auth.conf)")
struct AccountsConfigurationTests {
    func load(relay: [(String, String)] = [], file: String? = nil, environment: [String: String] = [:])
        throws(ConfigError) -> AccountsConfiguration
    {
        var relayLoader = ConfigLoader()
        for (key, value) in relay { try relayLoader.applyOverride(key, value) }
        var loader = ConfigLoader.forAccounts()
        if let file { try loader.applyFile(file, path: "auth.conf") }
        try loader.applyEnvironment(environment)
        return try loader.accountsConfiguration(relay: try relayLoader.configuration())
    }

    @Test("defaults: port 8445, the relay's secret and database, console mail, new users on pro")
    func defaults() throws {
        let accounts = try load(relay: [("auth.secret", "s3"), ("sqlite.path", "/tmp/x.db")])
        #expect(accounts.port == 8445)
        #expect(accounts.authSecret == "s3")
        #expect(accounts.sqlitePath == "/tmp/x.db")
        #expect(accounts.smtp == nil)
        #expect(accounts.settings.newUserTier == .pro)
        #expect(accounts.settings.linkLifetimeMillis == 900_000)
        #expect(accounts.settings.rateLimits.loginsPerEmail == 5)
        #expect(!accounts.settings.quickSetupEnabled)
    }

    @Test("the port follows the relay's (+ 2) unless auth.conf sets it; 0 stays 0")
    func derivedPort() throws {
        #expect(try load(relay: [("port", "9000")]).port == 9002)
        #expect(try load(relay: [("port", "0")]).port == 0)
        #expect(try load(relay: [("port", "9000")], file: "port = 7000").port == 7000)
        #expect(throws: ConfigError.self) { try load(relay: [("port", "65534")]) }
    }

    @Test("auth.conf keys, with TANDEM_ACCOUNTS_ variables over the file")
    func fileAndEnvironment() throws {
        let accounts = try load(
            file: """
                port = 9445
                smtp.host = mail.example.com
                smtp.user = tandem
                smtp.from = Tandem <tandem@example.com>
                smtp.security = starttls
                public.url = https://auth.example.com/
                tier.default = free
                tier.personal.projects = 3
                """,
            environment: ["TANDEM_ACCOUNTS_PORT": "9446", "TANDEM_ACCOUNTS_SMTP_PASSWORD": "pw"])
        #expect(accounts.port == 9446)
        #expect(accounts.smtp?.host == "mail.example.com")
        #expect(accounts.smtp?.port == 587)
        #expect(accounts.smtp?.user == "tandem")
        #expect(accounts.smtp?.password == "pw")
        #expect(accounts.smtp?.security == .startTLS)
        #expect(accounts.publicURL == "https://auth.example.com")
        #expect(accounts.settings.newUserTier == .free)
        #expect(accounts.settings.tierLimits.projectLimit(.personal) == 3)
    }

    @Test("bad values, unknown keys, smtp.host without smtp.from and an open development secret are refused")
    func refusals() {
        #expect(throws: ConfigError.self) { try load(file: "tier.default = gold") }
        #expect(throws: ConfigError.self) { try load(file: "max.rooms = 5") }
        #expect(throws: ConfigError.self) { try load(file: "smtp.host = mail.example.com") }
        #expect(throws: ConfigError.self) { try load(file: "host = 0.0.0.0") }
        #expect((try? load(file: "host = 0.0.0.0\nallow.insecure = true")) != nil)
    }
}
