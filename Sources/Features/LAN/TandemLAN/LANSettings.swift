import TandemMerge

/// The LAN endpoint's validated settings.
public struct LANSettings: Sendable {
    public var policy: DecisionPolicy = .ask
    /// How long a pending sync waits for an answer.
    public var decisionTimeout: Duration = .seconds(60)
    /// How long a connection may take from opening to an accepted handshake.
    public var handshakeTimeout: Duration = .seconds(10)
    /// Largest jot binary accepted.
    public var maxFileBytes = 50 << 20
    /// Bytes queued to one connection before it is cut as too slow.
    public var maxOutboundBytes = 64 << 20

    public init() {}

    /// Largest WebSocket message: a file of `maxFileBytes`, base64 in JSON, encrypted, base64 again, plus room.
    public var maxFrameBytes: Int { maxFileBytes / 9 * 16 + (1 << 20) }
}
