import TandemAuth
import TandemAuthSQLite
import TandemSQLite

/// The Hone auth service beside the relay (`tandem serve` unless `--no-accounts`): its own port,
/// and devices and projects that decide who may join which room.
enum AccountsFeature: FeatureKind {
    static let name = "the accounts service"
    static let migrations = AccountsSchema.migrations

    static func isEnabled(_ settings: FeatureSettings) -> Bool { settings.accounts != nil }

    static func make(_ context: FeatureContext) async throws -> Feature {
        guard let configuration = context.settings.accounts, let store = context.accountStore else {
            return Feature()
        }
        let logger = context.logger
        let service = AccountsServer.makeService(configuration, store: store, relay: context.relay, logger: logger)
        return Feature(
            ports: [.accounts],
            services: { ports in
                [
                    // Admitted with the other ports: one count per client address across all of them.
                    AccountsServer.makeApplication(
                        service, configuration, listenerGuard: context.listenerGuard, logger: logger
                    ) { port in
                        await ports.bound(.accounts, port)
                    },
                    AccountsJanitor(service: service, logger: logger),
                ]
            },
            exposes: .init(accounts: service))
    }
}
