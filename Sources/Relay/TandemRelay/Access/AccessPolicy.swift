import TandemConnection

/// Who a connection acts for, once its credentials were checked.
public struct Principal: Sendable, Equatable {
    /// The account, when the credentials name one (device tokens do); nil in development mode.
    public let userID: Int?
    public let device: DeviceID

    public init(userID: Int?, device: DeviceID) {
        self.userID = userID
        self.device = device
    }
}

/// Why credentials were refused.
public enum AccessDenied: Error, Sendable, Equatable {
    /// No token was presented and the server requires one.
    case tokenRequired
    /// The token is malformed, forged, or revoked.
    case invalidToken
    /// The token is valid but belongs to another device.
    case wrongDevice
    /// The principal may not enter this room.
    case roomForbidden
}

/// Decides whether a device may join a room with the token it presented. Adapters call it before
/// `Relay.join`, so every wire protocol applies the same rule.
public protocol AccessPolicy: Sendable {
    func authorize(token: String?, device: DeviceID, room: RoomID) async throws(AccessDenied) -> Principal
}
