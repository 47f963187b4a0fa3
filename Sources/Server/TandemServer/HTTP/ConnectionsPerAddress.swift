import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization

/// The server's open connections per client address, across its WebSocket listeners: a connection
/// past `limit` from one address is closed as soon as it is accepted, before a byte of it is read,
/// so one client cannot take every socket (`max.connections.per.address`; 0 = no limit).
///
/// Behind a reverse proxy every client has the proxy's address: raise the limit there.
final class ConnectionsPerAddress: Sendable {
    let limit: Int
    private let open = Mutex<[String: Int]>([:])

    init(limit: Int) {
        self.limit = limit
    }

    /// A listener upgrading the routes of `webSocketRouter`, behind this gate.
    func server<Routes: HTTPResponderBuilder & _HB_SendableMetatype>(
        webSocketRouter: Routes, configuration: HTTP1WebSocketUpgradeChannel.Configuration
    ) -> HTTPServerBuilder where Routes.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = webSocketRouter.buildResponder()
        return HTTPServerBuilder { responder in
            GatedChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder, configuration: configuration),
                gate: self)
        }
    }

    /// A listener upgrading what `shouldUpgrade` accepts, behind this gate.
    func server(
        configuration: HTTP1WebSocketUpgradeChannel.Configuration,
        shouldUpgrade:
            @escaping @Sendable (HTTPRequest, any Channel, Logger) async throws -> ShouldUpgradeResult<
                WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>
            >
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GatedChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder, configuration: configuration, shouldUpgrade: shouldUpgrade),
                gate: self)
        }
    }

    fileprivate func admit(_ address: String) -> Bool {
        open.withLock { open in
            let count = open[address] ?? 0
            guard count < limit else { return false }
            open[address] = count + 1
            return true
        }
    }

    fileprivate func release(_ address: String) {
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

/// A listener's connection setup with the per-address count in front of it.
private struct GatedChannel<Inner: ServerChildChannel>: ServerChildChannel {
    let inner: Inner
    let gate: ConnectionsPerAddress

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Inner.Value> {
        if gate.limit > 0, let address = channel.remoteAddress?.ipAddress {
            guard gate.admit(address) else {
                channel.close(promise: nil)
                return channel.eventLoop.makeFailedFuture(TooManyConnections(address: address, limit: gate.limit))
            }
            let gate = self.gate
            channel.closeFuture.whenComplete { _ in gate.release(address) }
        }
        return inner.setup(channel: channel, logger: logger)
    }

    func handle(value: Inner.Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
