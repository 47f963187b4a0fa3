import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of the HTTP port's router: Hummingbird's WebSocket context plus the
/// channel, so a connection that will not read its close frame can be dropped.
struct RelayRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.channel = source.channel
    }
}
