import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization
import TandemClient
import Testing

/// The client against servers that fail in the ways a crashing or wedged server does. Each case
/// used to stall a reconnecting client for good; now every wait is bounded and it retries.
@Suite("Client SDK: servers that fail during and after the handshake")
struct ClientWebSocketTests {
    @Test("a server that closes during the upgrade is retried, not waited on forever")
    func closedDuringUpgrade() async throws {
        try await expectRetries(from: .closesOnRequest, handshakeTimeout: .seconds(30), pingInterval: nil)
    }

    @Test("a server that accepts and never answers the upgrade is given up after the handshake timeout")
    func muteDuringUpgrade() async throws {
        try await expectRetries(from: .mute, handshakeTimeout: .milliseconds(300), pingInterval: nil)
    }

    @Test("a server that upgrades and then answers no ping is left after the ping interval")
    func deafAfterUpgrade() async throws {
        try await expectRetries(from: .ignoresFrames, handshakeTimeout: .seconds(30), pingInterval: .milliseconds(200))
    }

    /// Runs a client against `server` and expects it to have connected three times within 10 s.
    private func expectRetries(
        from behaviour: FailingServer.Behaviour, handshakeTimeout: Duration, pingInterval: Duration?
    ) async throws {
        let server = try await FailingServer.start(behaviour)
        let client = RelayClient(
            configuration: .init(
                url: "ws://127.0.0.1:\(server.port)/ws", room: "r", device: "d",
                backoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(50)),
                handshakeTimeout: handshakeTimeout, pingInterval: pingInterval))
        await client.start()
        let deadline = ContinuousClock.now + .seconds(10)
        while server.accepted < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        await client.stop()
        try await server.close()
        #expect(server.accepted >= 3, "the client connected \(server.accepted) time(s) in 10 s")
    }
}

/// A loopback TCP server that misbehaves in one way, counting the connections it accepts.
private final class FailingServer: Sendable {
    enum Behaviour {
        /// Reads the upgrade request, then closes the connection.
        case closesOnRequest
        /// Accepts and never writes anything.
        case mute
        /// Completes the WebSocket upgrade, then ignores every frame, pings included.
        case ignoresFrames
    }

    private let count = Atomic<Int>(0)
    private let channel = Mutex<(any Channel)?>(nil)

    var accepted: Int { count.load(ordering: .relaxed) }
    var port: Int { channel.withLock { $0?.localAddress?.port ?? 0 } }

    static func start(_ behaviour: Behaviour) async throws -> FailingServer {
        let server = FailingServer()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                server.count.add(1, ordering: .relaxed)
                return channel.eventLoop.makeCompletedFuture {
                    switch behaviour {
                    case .closesOnRequest:
                        try channel.pipeline.syncOperations.addHandler(CloseOnRead())
                    case .mute:
                        break
                    case .ignoresFrames:
                        let upgrader = NIOWebSocketServerUpgrader(
                            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
                            upgradePipelineHandler: { channel, _ in channel.eventLoop.makeSucceededVoidFuture() })
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                            withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        server.channel.withLock { $0 = listener }
        return server
    }

    func close() async throws {
        try await channel.withLock { $0 }?.close()
    }
}

private final class CloseOnRead: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.close(promise: nil)
    }
}
