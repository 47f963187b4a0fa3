import Synchronization
import TandemCore

/// The open connections of the LAN endpoint: one paired connection per device (a newer one replaces the older),
/// and every queue, so shutdown can close them all.
final class LANConnections: Sendable {
    private struct State {
        var queues: [ObjectIdentifier: OutboundQueue] = [:]
        var devices: [String: LANPeer] = [:]
        var draining = false
    }
    private let state = Mutex(State())

    /// Tracks `queue`; false when the endpoint is shutting down.
    func open(_ queue: OutboundQueue) -> Bool {
        state.withLock { state in
            guard !state.draining else { return false }
            state.queues[ObjectIdentifier(queue)] = queue
            return true
        }
    }

    /// Makes `peer` its device's connection and returns the one it replaces.
    func pair(_ peer: LANPeer) -> LANPeer? {
        state.withLock { state in
            let previous = state.devices[peer.device]
            state.devices[peer.device] = peer
            return previous
        }
    }

    func closed(_ queue: OutboundQueue, peer: LANPeer?) {
        state.withLock { state in
            state.queues[ObjectIdentifier(queue)] = nil
            if let peer, state.devices[peer.device]?.id == peer.id { state.devices[peer.device] = nil }
        }
    }

    /// The paired connection of `device`, if it is connected.
    func peer(for device: String) -> LANPeer? {
        state.withLock { $0.devices[device] }
    }

    var count: Int { state.withLock { $0.queues.count } }

    /// Closes every connection with `reason` and refuses new ones.
    func drain(_ reason: CloseReason) {
        let queues = state.withLock { state in
            state.draining = true
            return Array(state.queues.values)
        }
        for queue in queues { queue.close(reason) }
    }
}
