import TandemConnection
package import TandemRelay

/// The relay's access rule when it shares storage with the accounts service: the token must
/// verify, its device must still exist (a deleted device's token fails at once), and the room
/// must belong to one of the user's projects.
package struct AccountAccessPolicy: AccessPolicy {
    package let signer: DeviceTokenSigner
    package let store: any AccountStore

    package init(signer: DeviceTokenSigner, store: any AccountStore) {
        self.signer = signer
        self.store = store
    }

    package func authorize(token: String?, device: DeviceID, room: RoomID) async throws(AccessDenied) -> Principal {
        guard let token, !token.isEmpty else { throw .tokenRequired }
        guard let verified = signer.verify(token) else { throw .invalidToken }
        guard verified.deviceID == device.rawValue else { throw .wrongDevice }
        // Storage failures refuse the join: access is never granted on a guess.
        guard let record = try? await store.device(tokenHash: SecretToken.hash(token)),
            record.userID == verified.userID, record.deviceID == verified.deviceID
        else { throw .invalidToken }
        guard (try? await store.ownsRoom(user: verified.userID, roomID: room.rawValue)) == true else {
            throw .roomForbidden
        }
        return Principal(userID: verified.userID, device: device)
    }
}
