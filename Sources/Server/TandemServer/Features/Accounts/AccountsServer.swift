import Foundation
package import Logging
package import ServiceLifecycle
package import TandemAuth
import TandemAuthSQLite
import TandemConnection
import TandemMail
import TandemRelay
import TandemSQLite
package import UnixSignals

/// The accounts service alone (`tandem auth`): its HTTP port and its storage, no relay.
package struct AccountsServer: Sendable {
    package let configuration: AccountsConfiguration
    package let service: AccountService
    let logger: Logger

    /// Opens storage; nothing listens until `makeServiceGroup` runs.
    package init(configuration: AccountsConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let pool = try SQLiteDatabase.open(path: configuration.sqlitePath, migrations: AccountsSchema.migrations)
        self.service = Self.makeService(
            configuration, store: SQLiteAccountStore(pool: pool), relay: nil, logger: logger)
    }

    /// The services to run. `onReady` is called with the bound port.
    package func makeServiceGroup(
        gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
        onReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> ServiceGroup {
        let app = Self.makeApplication(
            service, configuration, listenerGuard: ListenerGuard(configuration.relayListeners), logger: logger,
            onBound: onReady)
        return ServiceGroup(
            configuration: .init(
                services: [.init(service: app), .init(service: AccountsJanitor(service: service, logger: logger))],
                gracefulShutdownSignals: gracefulShutdownSignals, logger: logger))
    }

    /// The accounts service over `store`. With a `relay` in the same process, deleting a device
    /// closes its connections and deleting a project empties its room.
    static func makeService(
        _ configuration: AccountsConfiguration, store: any AccountStore, relay: Relay?, logger: Logger
    ) -> AccountService {
        let mailer: any LoginMailer =
            configuration.smtp.map {
                SMTPLoginMailer(client: SMTPClient(configuration: $0), from: configuration.mailFrom)
            }
            ?? ConsoleLoginMailer(logger: logger)
        var settings = configuration.settings
        settings.publicURL = configuration.publicURL
        return AccountService(
            store: store, signer: DeviceTokenSigner(secret: configuration.signingSecret), settings: settings,
            mailer: mailer,
            onDeviceRemoved: { device in
                guard let relay else { return }
                let id = DeviceID(device.deviceID)
                // Also closes a join whose token check ran just before the delete, admitted after it.
                let closed = relay.revoke(device: id, reason: .tokenRevoked)
                logger.info("device removed", metadata: ["device": "\(device.id)", "closedConnections": "\(closed)"])
            },
            onProjectRemoved: { project in
                relay?.disconnect(room: RoomID(project.roomID), reason: .roomRevoked)
            })
    }

    /// The accounts application; fills in the public URL from the bound port when none is set.
    static func makeApplication(
        _ service: AccountService, _ configuration: AccountsConfiguration, listenerGuard: ListenerGuard,
        logger: Logger, onBound: @escaping @Sendable (Int) async -> Void
    ) -> some Service {
        let app = AccountsApplication.make(
            service: service, configuration: configuration, listenerGuard: listenerGuard, logger: logger
        ) { port in
            if configuration.publicURL.isEmpty {
                let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
                service.setPublicURL("http://\(host):\(port)")
            }
            await onBound(port)
        }
        return Listener(name: "accounts", host: configuration.host, port: configuration.port, wrapped: app)
    }
}
