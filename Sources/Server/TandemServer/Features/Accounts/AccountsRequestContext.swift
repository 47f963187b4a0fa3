import Hummingbird
import NIOCore

/// The accounts router's request context: Hummingbird's core context plus the peer's address,
/// which the rate limits count by.
struct AccountsRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The TCP peer's IP address (empty when unknown, e.g. a Unix socket).
    let peerAddress: String
    /// The client's connection, so a long wait can end when the client goes away.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peerAddress = source.channel.remoteAddress?.ipAddress ?? ""
        self.channel = source.channel
    }
}
