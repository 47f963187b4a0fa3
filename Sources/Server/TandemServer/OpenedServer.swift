import Hummingbird
import HummingbirdWebSocket
import Logging
package import ServiceLifecycle
package import TandemAuth
package import TandemRelay
package import UnixSignals

/// A server whose storage is open and whose features are built: the relay, and the ports and
/// services that `makeServiceGroup` runs.
package struct OpenedServer: Sendable {
    /// What features expose to commands and tests.
    package struct Parts: Sendable {
        /// The accounts service beside the relay, when it runs one.
        package var accounts: AccountService? = nil
        /// The LAN pairing secret, when the LAN endpoint runs.
        package var lanSecret: String? = nil
    }

    package let configuration: ServerConfiguration
    package let relay: Relay
    let features: [Feature]
    let listenerGuard: ListenerGuard
    /// The HTTP and WebSocket ports' certificates, when they speak TLS; SIGHUP reloads them.
    package let tls: TLSCertificates?
    let commonRoutes: CommonRoutes
    let echo: ConformanceEcho?
    let logger: Logger

    /// The accounts service beside the relay, when it runs one.
    package var accounts: AccountService? { features.lazy.compactMap(\.exposes.accounts).first }
    /// The LAN pairing secret, when the LAN endpoint runs.
    package var lanSecret: String? { features.lazy.compactMap(\.exposes.lanSecret).first }

    /// The services to run, in start order; shutdown goes in reverse: first every feature's
    /// connections are closed with 1001, then the relay commits what is pending, then the ports
    /// close. `onReady` is called once every port is bound.
    package func makeServiceGroup(
        gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
        onReady: @escaping @Sendable (BoundPorts) async -> Void = { _ in }
    ) -> ServiceGroup {
        let ports = PortCollector(expecting: Set(features.flatMap(\.ports)), onReady: onReady)
        let router = Router(context: RelayRequestContext.self)
        router.add(middleware: FreshConnectionMiddleware())
        commonRoutes.add(to: router)
        for feature in features { feature.routes(router) }
        let maxFrame = features.map(\.httpMaxFrameBytes).max() ?? 0
        echo?.add(to: router, maxFrameBytes: maxFrame)
        let http = Application(
            router: router,
            server: listenerGuard.server(
                webSocketRouter: router, configuration: .init(ws: configuration.webSocket(maxFrameBytes: maxFrame)),
                tls: tls),
            configuration: .init(address: .hostname(configuration.host, port: configuration.httpPort), serverName: nil),
            onServerRunning: { channel in await ports.bound(.http, channel.localAddress?.port ?? 0) },
            logger: logger)

        var services: [any Service] = [
            Listener(name: "HTTP", host: configuration.host, port: configuration.httpPort, wrapped: http)
        ]
        for feature in features { services += feature.services(ports) }
        if let tls { services.append(TLSReloadService(certificates: tls, logger: logger)) }
        services.append(RelayService(relay: relay, retentionDays: configuration.retentionDays, logger: logger))
        let features = self.features
        services.append(
            DrainService(runners: features.flatMap(\.runners) + [echo?.runner].compactMap { $0 }) {
                for feature in features { await feature.afterDrain() }
            })
        return ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: gracefulShutdownSignals,
                logger: logger))
    }
}

extension ServerConfiguration {
    /// A WebSocket listener's settings for frames up to `maxFrameBytes` (larger ones close with 1009);
    /// a text message that is not UTF-8 closes with 1007.
    func webSocket(maxFrameBytes: Int) -> WebSocketServerConfiguration {
        WebSocketServerConfiguration(
            maxFrameSize: maxFrameBytes, autoPing: pingInterval.map { .enabled(timePeriod: $0) } ?? .disabled,
            closeTimeout: .seconds(5), validateUTF8: true)
    }
}
