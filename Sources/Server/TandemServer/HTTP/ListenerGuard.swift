import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization
import TandemConnection

/// What every WebSocket listener puts in front of a new connection, in order: admission per client
/// address (at most `max.connections.per.address` open, and new ones no faster than
/// `rate.connections.per.second`; one refused is closed as soon as it is accepted, before a byte
/// is read), TLS when the listener has it, and the handshake deadline (`handshake.timeout.seconds`:
/// a connection whose first HTTP request head has not arrived by then is closed, so a client
/// trickling bytes cannot hold a socket).
///
/// A connection from a trusted proxy (`proxy.trusted`) is admitted once its request head names the
/// client behind the proxy; refused, it gets 429.
final class ListenerGuard: Sendable {
    private struct State {
        var open: [String: Int] = [:]
        var attempts: [String: TokenBucket] = [:]
        var admittedSinceSweep = 0
    }

    let limit: Int
    /// New connections per second and burst per address; nil: no limit.
    let rate: RateLimit?
    let handshakeTimeout: TimeAmount
    let proxies: TrustedProxies
    private let clock: WallClock
    private let state = Mutex(State())

    /// The guard relay.conf's settings describe; every port of one server shares one.
    init(_ configuration: ServerConfiguration, clock: WallClock = .system) {
        self.limit = configuration.maxConnectionsPerAddress
        self.rate = configuration.connectionRate
        self.handshakeTimeout = TimeAmount(configuration.handshakeTimeout)
        self.proxies = configuration.trustedProxies
        self.clock = clock
    }

    /// Whether connections are admitted per address at all.
    var admits: Bool { limit > 0 || rate != nil }

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

    /// A plain HTTP listener.
    func server(http1 configuration: HTTP1Channel.Configuration) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedChannel(
                inner: HTTP1Channel(responder: responder, configuration: configuration), guard: self, tls: nil)
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

    /// Admits a connection from `address`, counted until `channel` closes; the refusal otherwise
    /// (then nothing is counted, but the attempt is).
    func admit(_ address: String, until channel: any Channel) -> Refusal? {
        let now = clock.now()
        let refusal = state.withLock { state -> Refusal? in
            if let rate {
                var bucket = state.attempts[address] ?? TokenBucket(rate, now: now)
                let allowed = bucket.take(now: now)
                state.attempts[address] = bucket
                if state.attempts.count > 1024 { Self.sweep(&state, rate: rate, now: now) }
                guard allowed else { return .tooFast(address: address, perSecond: rate.messagesPerSecond) }
            }
            guard limit > 0 else { return nil }
            let count = state.open[address] ?? 0
            guard count < limit else { return .tooMany(address: address, limit: limit) }
            state.open[address] = count + 1
            return nil
        }
        if refusal == nil, limit > 0 {
            channel.closeFuture.whenComplete { _ in self.release(address) }
        }
        return refusal
    }

    private func release(_ address: String) {
        state.withLock { state in
            let count = (state.open[address] ?? 1) - 1
            state.open[address] = count > 0 ? count : nil
        }
    }

    /// Forgets the buckets that are full again (their addresses have been quiet for a burst's worth
    /// of time), so the table holds only recent senders.
    private static func sweep(_ state: inout State, rate: RateLimit, now: Int64) {
        state.admittedSinceSweep += 1
        guard state.admittedSinceSweep >= 1024 else { return }
        state.admittedSinceSweep = 0
        let quiet = Int64(rate.burst / rate.messagesPerSecond * 1000)
        state.attempts = state.attempts.filter { _, bucket in now - bucket.updatedAt < quiet }
    }
}

/// Why a connection was refused at admission.
enum Refusal: Error, Equatable, CustomStringConvertible {
    case tooMany(address: String, limit: Int)
    case tooFast(address: String, perSecond: Double)

    var description: String {
        switch self {
        case .tooMany(let address, let limit):
            "\(address) already holds \(limit) connections (max.connections.per.address)"
        case .tooFast(let address, let perSecond):
            "\(address) opens connections faster than \(perSecond) a second (rate.connections.per.second)"
        }
    }
}
