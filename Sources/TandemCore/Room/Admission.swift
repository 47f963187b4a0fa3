/// What a device learns when it is admitted to a room.
public struct Admission: Sendable {
    /// The room's host after this join.
    public let host: DeviceID?
    /// Other connected devices, longest-connected first.
    public let peers: [DeviceID]
    /// The room's last sequence number at the moment of joining: live delivery continues after it.
    public let roomSeq: UInt64
    /// Messages held for this device while it was away (only when it joined without lastSeq).
    public let buffered: [RoomMessage]
    /// True when messages for this device were dropped from its offline buffer (over the size
    /// bound); the device should catch up with lastSeq.
    public let bufferOverflowed: Bool
    /// Every message up to `roomSeq` is in storage once this ticket is durable.
    public let catchUpTicket: MessageLog.Ticket
}
