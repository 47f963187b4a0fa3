import Hummingbird
import Logging
import ServiceLifecycle
import TandemAuth

/// Builds the accounts HTTP application (its own port) around an `AccountService`.
enum AccountsApplication {
    static func make(
        service: AccountService, configuration: AccountsConfiguration, listenerGuard: ListenerGuard, logger: Logger,
        onBound: @escaping @Sendable (Int) async -> Void
    ) -> some Service {
        let router = Router(context: AccountsRequestContext.self)
        AccountsRoutes(service: service, trustsForwardedFor: configuration.trustsForwardedFor).register(on: router)
        return Application(
            router: router, server: listenerGuard.server(http1: .init()),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onBound(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}

/// Deletes expired magic links and pairing codes every ten minutes.
struct AccountsJanitor: Service {
    let service: AccountService
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await service.purgeExpired()
            } catch {
                logger.error("purging expired login links failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(600)) }
        }
    }
}
