/// The name of a room: the unit of routing, sequencing and storage.
public struct RoomID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// The name of one device (one app install) inside a room.
public struct DeviceID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// Who a message is for, as the sender wrote it.
public enum Recipient: Hashable, Sendable {
    /// The room's current host.
    case host
    /// Every member of the room except the sender.
    case broadcast
    /// One named device.
    case device(DeviceID)
}

/// Who a stored message was delivered to, once `host` has been resolved to a device.
public enum Addressee: Hashable, Sendable {
    case broadcast
    case device(DeviceID)

    /// Whether `device`, which did not send the message, is entitled to receive it.
    @inlinable
    public func includes(_ device: DeviceID, sender: DeviceID) -> Bool {
        switch self {
        case .broadcast: device != sender
        case .device(let target): target == device
        }
    }
}
