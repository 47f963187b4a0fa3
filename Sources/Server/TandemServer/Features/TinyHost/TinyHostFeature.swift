import TandemSQLite
import TandemTinyHost
import TandemTinyHostSQLite

/// TinyHost on the HTTP port: its accounts (`/{namespace}/sign-up`, sign-in, sessions) and TinyBase
/// sync (`/{namespace}/ws`), with the users' stores in its own tables.
enum TinyHostFeature: FeatureKind {
    static let name = "TinyHost"
    static let migrations = TinyHostSchema.migrations

    static func isEnabled(_ settings: FeatureSettings) -> Bool { settings.configuration.tinyHost.isEnabled }

    static func make(_ context: FeatureContext) async throws -> Feature {
        let settings = context.configuration.tinyHost
        let logger = context.logger
        let accounts = TinyHostAccounts(
            store: SQLiteTinyHostAccountStore(pool: context.database), settings: settings, logger: logger)
        let hub = TinyBaseSyncHub(
            storage: SQLiteTinyBaseStorage(pool: context.database), settings: settings.sync, logger: logger)
        let endpoint = TinyBaseSyncEndpoint(hub: hub, logger: logger)
        return Feature(
            routes: { router in
                TinyHostAccountRoutes(accounts: accounts, proxies: context.configuration.trustedProxies).add(to: router)
                TinyHostSyncRoutes(accounts: accounts, endpoint: endpoint).add(to: router)
            },
            services: { _ in [TinyHostSessionJanitor(accounts: accounts, logger: logger)] },
            runners: [endpoint.runner],
            afterDrain: { await hub.shutDown() })
    }
}
