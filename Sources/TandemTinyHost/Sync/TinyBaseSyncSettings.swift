/// Limits and timings of the TinyBase sync endpoint.
public struct TinyBaseSyncSettings: Sendable, Equatable {
    /// Largest WebSocket message accepted; larger ones close the socket with 1009 (TinyHost: 1 MiB).
    public var maxMessageBytes = 1024 * 1024
    /// Largest manual-sync request body.
    public var maxManualSyncBytes = 64 * 1024 * 1024
    /// Outgoing bytes a client may fall behind by before it is closed as too slow.
    public var maxOutboundBytes = 64 * 1024 * 1024
    /// How often a store with connected clients sets its `heartbeat` value (zero: never).
    public var heartbeatInterval: Duration = .seconds(10)
    /// How long the server waits for a client to answer one of its requests.
    public var requestTimeout: Duration = .seconds(5)
    /// How long changes wait before being written, so a burst is one transaction.
    public var saveDelay: Duration = .milliseconds(50)
    /// Open sockets allowed per store (one user's tabs and devices).
    public var maxClientsPerStore = 64

    public init() {}
}
