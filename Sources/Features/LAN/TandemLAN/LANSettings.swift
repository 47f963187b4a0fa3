import TandemMerge

/// The LAN endpoint's validated settings.
package struct LANSettings: Sendable {
    package var policy: DecisionPolicy = .ask
    /// How long a pending sync waits for an answer.
    package var decisionTimeout: Duration = .seconds(60)
    /// How long a connection may take from opening to an accepted handshake.
    package var handshakeTimeout: Duration = .seconds(10)
    /// Largest jot binary accepted.
    package var maxFileBytes = 50 << 20
    /// Bytes queued to one connection before it is cut as too slow.
    package var maxOutboundBytes = 64 << 20

    package init() {}

    /// Largest WebSocket message: a file of `maxFileBytes`, base64 in JSON, encrypted, base64 again, plus room.
    package var maxFrameBytes: Int { maxFileBytes / 9 * 16 + (1 << 20) }
}
