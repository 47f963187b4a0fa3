import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// What every WebSocket listener puts in front of a new connection, in order: the count of open
/// connections per client address (`max.connections.per.address`; one past it is closed as soon as
/// it is accepted, before a byte is read), TLS when the listener has it, and the handshake
/// deadline (`handshake.timeout.seconds`: a connection whose first HTTP request head has not
/// arrived by then is closed, so a client trickling bytes cannot hold a socket).
///
/// A connection from a trusted proxy (`proxy.trusted`) is counted once its request head names the
/// client behind the proxy; until then it is not counted.
final class ListenerGuard: Sendable {
    let limit: Int
    let handshakeTimeout: Duration
    let proxies: TrustedProxies
    private let open = Mutex<[String: Int]>([:])

    init(limit: Int, handshakeTimeout: Duration, proxies: TrustedProxies = .none) {
        self.limit = limit
        self.handshakeTimeout = handshakeTimeout
        self.proxies = proxies
    }

    /// A listener upgrading the routes of `webSocketRouter`.
    func server<Routes: HTTPResponderBuilder & _HB_SendableMetatype>(
        webSocketRouter: Routes, configuration: HTTP1WebSocketUpgradeChannel.Configuration, tls: TLSCertificates?
    ) -> HTTPServerBuilder where Routes.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = webSocketRouter.buildResponder()
        return HTTPServerBuilder { responder in
            GuardedChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder, configuration: configuration),
                guard: self, tls: tls)
        }
    }

    /// A listener upgrading what `shouldUpgrade` accepts.
    func server(
        configuration: HTTP1WebSocketUpgradeChannel.Configuration, tls: TLSCertificates?,
        shouldUpgrade:
            @escaping @Sendable (HTTPRequest, any Channel, Logger) async throws -> ShouldUpgradeResult<
                WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>
            >
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder, configuration: configuration, shouldUpgrade: shouldUpgrade),
                guard: self, tls: tls)
        }
    }

    /// Counts a connection from `address` until `channel` closes; false (nothing counted) past the limit.
    fileprivate func admit(_ address: String, until channel: any Channel) -> Bool {
        guard admit(address) else { return false }
        channel.closeFuture.whenComplete { _ in self.release(address) }
        return true
    }

    private func admit(_ address: String) -> Bool {
        open.withLock { open in
            let count = open[address] ?? 0
            guard count < limit else { return false }
            open[address] = count + 1
            return true
        }
    }

    private func release(_ address: String) {
        open.withLock { open in
            let count = (open[address] ?? 1) - 1
            open[address] = count > 0 ? count : nil
        }
    }
}

/// Why an accepted connection was closed at once.
struct TooManyConnections: Error, CustomStringConvertible {
    let address: String
    let limit: Int
    var description: String { "\(address) already holds \(limit) connections (max.connections.per.address)" }
}

/// A listener's connection setup behind its guard.
private struct GuardedChannel<Inner: ServerChildChannel>: ServerChildChannel {
    let inner: Inner
    let `guard`: ListenerGuard
    let tls: TLSCertificates?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Inner.Value> {
        let peer = channel.remoteAddress?.ipAddress
        // A trusted proxy's connection is counted by the client its request head names.
        let countAtHead = `guard`.limit > 0 && peer.map(`guard`.proxies.trusts) == true
        if `guard`.limit > 0, let peer, !countAtHead {
            guard `guard`.admit(peer, until: channel) else {
                channel.close(promise: nil)
                return channel.eventLoop.makeFailedFuture(TooManyConnections(address: peer, limit: `guard`.limit))
            }
        }
        if let tls {
            do {
                try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.current))
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
        }
        let timeout = TimeAmount.nanoseconds(
            `guard`.handshakeTimeout.components.seconds * 1_000_000_000
                + `guard`.handshakeTimeout.components.attoseconds / 1_000_000_000)
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            let deadline = HandshakeDeadline(
                timeout: timeout, counting: countAtHead ? (`guard`, peer ?? "") : nil)
            try operations.addHandler(deadline, position: .after(decoder))
            return value
        }
    }

    func handle(value: Inner.Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Closes its connection unless the first HTTP request head arrives within `timeout`; once it has,
/// it leaves the pipeline (a WebSocket then has its join timeout and pings). For a trusted proxy's
/// connection it counts the client the head names, and closes the connection past the limit.
private final class HandshakeDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    let timeout: TimeAmount
    /// The guard and the proxy's address, when the client is counted here.
    let counting: (ListenerGuard, String)?
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount, counting: (ListenerGuard, String)?) {
        self.timeout = timeout
        self.counting = counting
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else {
            return context.fireChannelRead(data)
        }
        if let (gate, proxy) = counting {
            let client = gate.proxies.client(peer: proxy, headerValues: head.headers[gate.proxies.header.rawValue])
            guard gate.admit(client, until: context.channel) else {
                deadline?.cancel()
                context.close(promise: nil)
                return
            }
        }
        context.fireChannelRead(data)
        deadline?.cancel()
        deadline = nil
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
