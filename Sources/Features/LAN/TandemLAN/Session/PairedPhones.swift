import Synchronization

/// The LAN endpoint's paired phones: one connection per device, a newer one replacing the older.
final class PairedPhones: Sendable {
    private let devices = Mutex<[String: LANPeer]>([:])

    /// Makes `peer` its device's connection and returns the one it replaces.
    func pair(_ peer: LANPeer) -> LANPeer? {
        devices.withLock { devices in
            let previous = devices[peer.device]
            devices[peer.device] = peer
            return previous
        }
    }

    /// Forgets `peer` (if it is still its device's connection) once its socket ended.
    func closed(_ peer: LANPeer?) {
        guard let peer else { return }
        devices.withLock { devices in
            if devices[peer.device]?.id == peer.id { devices[peer.device] = nil }
        }
    }

    /// The paired connection of `device`, if it is connected.
    func peer(for device: String) -> LANPeer? {
        devices.withLock { $0[device] }
    }
}
