import TandemConnection

/// The name of a room: the unit of routing, sequencing and storage.
public struct RoomID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// Names starting with this are reserved for adapters' own namespaces, so rooms of different
    /// protocols never meet; adapters whose clients name rooms freely refuse such names.
    public static let namespacePrefix = "~"

    /// A room in an adapter's namespace: `~namespace:name`.
    public init(namespace: String, name: String) {
        self.rawValue = Self.namespacePrefix + namespace + ":" + name
    }

    /// Whether the name lies in an adapter's namespace.
    public var isNamespaced: Bool { rawValue.hasPrefix(Self.namespacePrefix) }
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
