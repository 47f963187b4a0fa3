import TandemConnection
package import TandemRelay

/// The relay's access rule from the Hone design: with a secret, a join needs a valid device token
/// for the joining device; without one (development mode) every join is accepted.
package struct DeviceTokenPolicy: AccessPolicy {
    /// nil in development mode.
    package let signer: DeviceTokenSigner?

    package init(signer: DeviceTokenSigner?) {
        self.signer = signer
    }

    package func authorize(token: String?, device: DeviceID, room: RoomID) async throws(AccessDenied) -> Principal {
        guard let signer else { return Principal(userID: nil, device: device) }
        guard let token, !token.isEmpty else { throw .tokenRequired }
        guard let verified = signer.verify(token) else { throw .invalidToken }
        guard verified.deviceID == device.rawValue else { throw .wrongDevice }
        return Principal(userID: verified.userID, device: device)
    }
}
