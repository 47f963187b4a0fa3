public import TandemConnection

/// The relay's explicit limits. Every one is configurable; errors that enforce them name them.
public struct RelayLimits: Sendable, Equatable {
    /// Most rooms held at once (rooms with members or with offline buffers).
    public var maxRooms: Int = 10_000
    /// Most devices connected to one room at once.
    public var maxMembersPerRoom: Int = 10
    /// Largest message a client may send, in bytes.
    public var maxMessageBytes: Int = 1 << 20
    /// How long messages for a device that left are held in memory, in milliseconds.
    public var bufferTTLMillis: Int64 = 60_000
    /// Most bytes buffered for one offline device; past it the buffer is dropped and the device
    /// catches up from storage with lastSeq.
    public var maxBufferBytes: Int = 4 << 20
    /// Most bytes queued for sending to one connection before it is cut as a slow consumer.
    public var maxOutboundBytes: Int = 16 << 20
    /// Per-connection message rate.
    public var rate = RateLimit()

    public init() {}
}
