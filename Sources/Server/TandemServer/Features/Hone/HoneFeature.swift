import Hummingbird
import HummingbirdWebSocket
import NIOCore
import TandemConnection
import TandemHone
import TandemRelay
import TandemSQLite

/// The Hone relay protocol: `/ws` on the HTTP port, and the WebSocket-only port (any path), as
/// Hone's relay offered it. Its storage is the relay's.
enum HoneFeature: FeatureKind {
    static let name = "the Hone relay"
    static let migrations: [SQLiteMigration] = []

    static func isEnabled(_ settings: FeatureSettings) -> Bool { true }

    static func make(_ context: FeatureContext) async throws -> Feature {
        let configuration = context.configuration
        let hone = HoneEndpoint(
            relay: context.relay, access: context.access, logger: context.logger,
            joinTimeout: configuration.joinTimeout)
        let maxFrame = HoneEndpoint.maxFrameBytes(configuration.limits)
        let serve: @Sendable (WebSocketInboundStream, WebSocketOutboundWriter, any Channel) async throws -> Void = {
            inbound, outbound, channel in
            try await inbound.wireFrames(maxSize: maxFrame) { frames in
                await hone.serve(
                    inbound: frames, connection: WebSocketWireConnection(outbound: outbound, channel: channel))
            }
        }
        let logger = context.logger
        let listenerGuard = context.listenerGuard
        let tls = context.tls
        let commonRoutes = context.commonRoutes
        let echo = context.echo
        return Feature(
            ports: [.webSocket], httpMaxFrameBytes: maxFrame,
            routes: { router in
                router.ws("/ws") { inbound, outbound, context in
                    try await serve(inbound, outbound, context.requestContext.channel)
                }
            },
            services: { ports in
                // Any path upgrades, as Hone's relay port did; plain HTTP gets the common routes.
                let router = Router()
                commonRoutes.add(to: router)
                let app = Application(
                    router: router,
                    server: listenerGuard.server(
                        configuration: .init(ws: configuration.webSocket(maxFrameBytes: maxFrame)), tls: tls
                    ) { request, channel, _ in
                        ConformanceEcho.upgrade(echo, request, channel: channel, maxFrameBytes: maxFrame) {
                            inbound, outbound in
                            try await serve(inbound, outbound, channel)
                        }
                    },
                    configuration: .init(
                        address: .hostname(configuration.host, port: configuration.webSocketPort), serverName: nil),
                    onServerRunning: { channel in await ports.bound(.webSocket, channel.localAddress?.port ?? 0) },
                    logger: logger)
                return [
                    Listener(
                        name: "WebSocket", host: configuration.host, port: configuration.webSocketPort, wrapped: app)
                ]
            },
            runners: [hone.runner])
    }
}
