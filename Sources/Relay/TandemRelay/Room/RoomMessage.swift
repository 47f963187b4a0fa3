import TandemConnection

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
    /// False for a message that is only recorded: stored for later joiners but not handed to the
    /// connected members, who already received its content another way. Not stored.
    public let deliversLive: Bool

    public init(
        room: RoomID, seq: UInt64, sender: DeviceID, addressee: Addressee, body: WireFrame, createdAt: Int64,
        clientID: String? = nil, deliversLive: Bool = true
    ) {
        self.room = room
        self.seq = seq
        self.sender = sender
        self.addressee = addressee
        self.body = body
        self.createdAt = createdAt
        self.clientID = clientID
        self.deliversLive = deliversLive
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
