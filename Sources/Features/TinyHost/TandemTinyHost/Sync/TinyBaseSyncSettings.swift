/// Limits and timings of the TinyBase sync endpoint.
package struct TinyBaseSyncSettings: Sendable, Equatable {
    /// Largest WebSocket message accepted; larger ones close the socket with 1009 (TinyHost: 1 MiB).
    package var maxMessageBytes = 1024 * 1024
    /// Most UTF-8 bytes of one message the server sends: larger answers are cut into several
    /// messages (a diff answer holds what fits, the rest follows as ContentDiffs). Only a single
    /// cell or value larger than this goes alone in a larger message.
    package var maxSendBytes = 1024 * 1024
    /// Largest manual-sync request body.
    package var maxManualSyncBytes = 64 * 1024 * 1024
    /// Outgoing bytes a client may fall behind by before it is closed as too slow.
    package var maxOutboundBytes = 64 * 1024 * 1024
    /// How often a store with connected clients sets its `heartbeat` value (zero: never).
    package var heartbeatInterval: Duration = .seconds(10)
    /// How long the server waits for a client to answer one of its requests.
    package var requestTimeout: Duration = .seconds(5)
    /// How long changes wait before being written, so a burst is one transaction.
    package var saveDelay: Duration = .milliseconds(50)
    /// Open sockets allowed per store (one user's tabs and devices).
    package var maxClientsPerStore = 64

    /// The largest frame a TinyBase v9.3+ peer accepts (`MAX_WEBSOCKET_BUFFER_SIZE`), and the most
    /// fragment bytes it buffers: what would pass it is never sent; the socket is closed with 1009
    /// (manual sync) instead.
    package static let clientFrameLimit = 16 * 1024 * 1024

    package init() {}
}
