import Foundation
import Hummingbird
import HummingbirdWebSocket
import TandemLAN
import TandemLANSQLite
import TandemSQLite

/// JotBunker's LAN protocol: its own port (a WebSocket at any path and `GET /ping`), and the
/// pending-decision API under `/lan` on the HTTP port.
enum LANFeature: FeatureKind {
    static let name = "the LAN endpoint"
    static let migrations = LANSchema.migrations

    static func isEnabled(_ settings: FeatureSettings) -> Bool { settings.configuration.lan.isEnabled }

    static func make(_ context: FeatureContext) async throws -> Feature {
        let configuration = context.configuration
        let lan = configuration.lan
        let store = SQLiteLANStore(pool: context.database)
        let secret: PairingSecret
        if let kept = try await keptSecret(lan, store: store) {
            secret = kept
        } else {
            secret = try await newSecret(store)
        }
        let endpoint = LANEndpoint(
            store: store, secret: secret, settings: lan.settings,
            files: JotFileStore(directory: URL(fileURLWithPath: lan.filesPath)), logger: context.logger)
        let logger = context.logger
        let listenerGuard = context.listenerGuard
        let echo = context.echo
        return Feature(
            ports: [.lan],
            routes: { router in LANRoutes(endpoint: endpoint).add(to: router) },
            services: { ports in
                let router = Router()
                router.get("/ping") { _, _ in ["status": "ok", "deviceId": "desktop"] }
                let maxFrame = endpoint.settings.maxFrameBytes
                let app = Application(
                    router: router,
                    // No TLS: JotBunker's phones speak plain WebSocket and encrypt inside it.
                    server: listenerGuard.server(
                        configuration: .init(ws: configuration.webSocket(maxFrameBytes: maxFrame)), tls: nil
                    ) { request, channel, _ in
                        // JotBunker's phone connects to `ws://ip:port` with no path.
                        ConformanceEcho.upgrade(echo, request, channel: channel, maxFrameBytes: maxFrame) {
                            inbound, outbound in
                            try await inbound.wireFrames(maxSize: maxFrame) { frames in
                                await endpoint.serve(
                                    inbound: frames,
                                    connection: WebSocketWireConnection(outbound: outbound, channel: channel))
                            }
                        }
                    },
                    configuration: .init(address: .hostname(lan.host, port: lan.port), serverName: nil),
                    onServerRunning: { channel in await ports.bound(.lan, channel.localAddress?.port ?? 0) },
                    logger: logger)
                return [Listener(name: "LAN", host: lan.host, port: lan.port, wrapped: app)]
            },
            runners: [endpoint.runner],
            exposes: .init(lanSecret: endpoint.secret.value))
    }

    /// The configured pairing secret, else the one kept in the database; nil before the first start.
    static func keptSecret(_ lan: LANConfiguration, store: SQLiteLANStore) async throws -> PairingSecret? {
        if !lan.secret.isEmpty { return PairingSecret(lan.secret) }
        return try await store.setting(LANEndpoint.secretSetting).map(PairingSecret.init)
    }

    /// A new pairing secret, kept in the database for later starts.
    private static func newSecret(_ store: SQLiteLANStore) async throws -> PairingSecret {
        let secret = PairingSecret.generate()
        try await store.setSetting(LANEndpoint.secretSetting, secret.value)
        return secret
    }
}
