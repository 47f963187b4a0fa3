public import TandemConnection

/// One message in a room's log: sequenced, addressed and timestamped by the relay.
public struct RoomMessage: Sendable, Equatable {
    public let room: RoomID
    /// Position in the room's log; strictly increasing from 1, never reused.
    public let seq: UInt64
    public let sender: DeviceID
    public let addressee: Addressee
    /// The frame exactly as members receive it.
    public let body: WireFrame
    /// Server time of sequencing, milliseconds since 1970.
    public let createdAt: Int64
    /// The id the sender gave the message, used to acknowledge it and to ignore retries.
    public let clientID: String?

    public init(
        room: RoomID, seq: UInt64, sender: DeviceID, addressee: Addressee, body: WireFrame, createdAt: Int64,
        clientID: String? = nil
    ) {
        self.room = room
        self.seq = seq
        self.sender = sender
        self.addressee = addressee
        self.body = body
        self.createdAt = createdAt
        self.clientID = clientID
    }
}

/// What happens in a room that a member is told about.
public enum RoomEvent: Sendable, Equatable {
    case message(RoomMessage)
    case hostChanged(room: RoomID, host: DeviceID?)
    case peerJoined(room: RoomID, device: DeviceID)
    case peerLeft(room: RoomID, device: DeviceID)
    /// A frame relayed as it is, neither sequenced nor stored (presence, requests).
    case transient(room: RoomID, sender: DeviceID, frame: WireFrame)
}
