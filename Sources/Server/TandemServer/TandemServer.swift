import Hummingbird
import HummingbirdWebSocket
package import Logging
import ServiceLifecycle
import TandemAuth
import TandemAuthSQLite
import TandemLAN
import TandemLANSQLite
import TandemRelay
import TandemRelaySQLite
import TandemSQLite
import UnixSignals

/// Tandem's composition root: the relay on SQLite, and the features (one per wire protocol) that
/// the configuration turns on, behind the HTTP port. Creating it does no I/O; `open` opens and
/// migrates storage and builds the features; nothing listens until the service group runs.
package struct TandemServer: Sendable {
    package static let version = "0.1.0"

    /// Every feature, in the order its storage was first released (their schema steps run in it).
    static let features: [any FeatureKind.Type] = [
        HoneFeature.self, LANFeature.self, AccountsFeature.self, TinyHostFeature.self, SDSFeature.self,
    ]

    package let configuration: ServerConfiguration
    /// The accounts service's settings, when it runs beside the relay.
    package let accounts: AccountsConfiguration?
    let logger: Logger

    package init(configuration: ServerConfiguration, accounts: AccountsConfiguration? = nil, logger: Logger)
        throws(ConfigError)
    {
        if let accounts, accounts.authSecret != configuration.authSecret {
            throw ConfigError(
                description: "auth.conf auth.secret differs from the relay's: with `tandem serve` they must match")
        }
        self.configuration = configuration
        self.accounts = accounts
        self.logger = logger
    }

    /// Opens the database, brings the schema of the relay and of every enabled feature up to date,
    /// and builds the relay and the features. An error names the step that failed.
    package func open() async throws(StartupError) -> OpenedServer {
        let settings = FeatureSettings(configuration: configuration, accounts: accounts)
        let enabled = Self.features.filter { $0.isEnabled(settings) }
        let path = configuration.sqlitePath
        let database = try await StartupError.step("cannot open sqlite.path \(path)") {
            try SQLiteDatabase.open(path: path, durability: configuration.durability, migrations: [])
        }
        let separateAccounts = accounts.map { $0.sqlitePath != path } ?? false
        var migrations = RelaySchema.migrations
        try await StartupError.step("cannot migrate \(path) for the relay") {
            try SQLiteDatabase.migrate(database, migrations)
        }
        for feature in enabled where !(feature == AccountsFeature.self && separateAccounts) {
            migrations += feature.migrations
            try await StartupError.step("cannot migrate \(path) for \(feature.name)") {
                try SQLiteDatabase.migrate(database, migrations)
            }
        }
        var accountStore: SQLiteAccountStore?
        if let accounts {
            let accountsDatabase =
                separateAccounts
                ? try await StartupError.step("cannot open the accounts' sqlite.path \(accounts.sqlitePath)") {
                    try SQLiteDatabase.open(path: accounts.sqlitePath, migrations: AccountsSchema.migrations)
                } : database
            accountStore = SQLiteAccountStore(pool: accountsDatabase)
        }
        let log = MessageLog(store: SQLiteMessageStore(pool: database)) { [logger] error in
            logger.error("storage commit failed; retrying", metadata: ["error": "\(error)"])
        }
        let relay = Relay(limits: configuration.limits, log: log)
        let tls = try await StartupError.step("cannot start TLS") { try configuration.tls.map(TLSCertificates.init) }
        let context = FeatureContext(
            settings: settings, relay: relay, database: database, access: accessPolicy(accountStore),
            accountStore: accountStore,
            listenerGuard: ListenerGuard(configuration),
            tls: tls,
            commonRoutes: CommonRoutes(relay: relay, startedAt: .now),
            echo: configuration.conformanceEcho
                ? ConformanceEcho(maxQueuedBytes: configuration.limits.maxOutboundBytes) : nil,
            logger: logger)
        var built: [Feature] = []
        for feature in enabled {
            built.append(
                try await StartupError.step("cannot start \(feature.name)") { try await feature.make(context) })
        }
        return OpenedServer(
            configuration: configuration, relay: relay, features: built, listenerGuard: context.listenerGuard, tls: tls,
            commonRoutes: context.commonRoutes, echo: context.echo, logger: logger)
    }

    /// Who may join which room: anybody in development mode; else a signed device token, and with
    /// the accounts service in this process, a device and project it still has.
    private func accessPolicy(_ accountStore: (any AccountStore)?) -> any AccessPolicy {
        if configuration.isDevelopmentMode { return DeviceTokenPolicy(signer: nil) }
        if let accountStore {
            return AccountAccessPolicy(signer: DeviceTokenSigner(secret: configuration.authSecret), store: accountStore)
        }
        return DeviceTokenPolicy(
            signer: DeviceTokenSigner(
                secret: configuration.authSecret, acceptsLegacyTokens: configuration.acceptsLegacyTokens))
    }

    /// The LAN pairing secret a server with `configuration` uses: `lan.secret`, else the one kept in the database
    /// (nil if the server never started with the LAN endpoint on). For commands that talk to a running server.
    package static func lanPairingSecret(_ configuration: ServerConfiguration) async throws -> String? {
        if !configuration.lan.secret.isEmpty { return configuration.lan.secret }
        let pool = try SQLiteDatabase.open(
            path: configuration.sqlitePath, durability: configuration.durability, migrations: LANSchema.migrations)
        return try await LANFeature.keptSecret(configuration.lan, store: SQLiteLANStore(pool: pool))?.value
    }
}

/// A start-up failure, naming the step that failed and why.
package struct StartupError: Error, CustomStringConvertible {
    package let description: String

    package init(description: String) {
        self.description = description
    }

    /// Runs `body`, reporting a failure as `what: error`.
    static func step<T>(_ what: String, _ body: () async throws -> T) async throws(StartupError) -> T {
        do {
            return try await body()
        } catch let error as StartupError {
            throw error
        } catch {
            throw StartupError(description: "\(what): \(error)")
        }
    }
}
