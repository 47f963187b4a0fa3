import Foundation
import Synchronization
package import TandemConnection
package import TandemRelay

/// The WebRTC signalling rooms of `/signal/:storeId`: who is connected, under which peer id.
///
/// Nothing is stored. A socket's peer id is the `from` of the JSON messages it sends (SDS's
/// WebRTC provider announces itself with `{"type":"hello","from":…}`); a JSON message with a
/// `to` goes only to the sockets using that peer id, anything else to every other socket of the
/// store. Binary and text frames are relayed as they came.
package final class SignalHub: Sendable {
    final class Peer: Sendable {
        let queue: OutboundQueue
        init(queue: OutboundQueue) { self.queue = queue }
    }

    private struct Entry {
        let peer: Peer
        var peerID: String?
    }

    package enum JoinError: Error, Equatable {
        case full(limit: Int)
        case tooManyStores(limit: Int)
    }

    private let rooms = Mutex<[String: [Entry]]>([:])
    package let maxPeersPerStore: Int
    package let maxStores: Int

    package init(maxPeersPerStore: Int, maxStores: Int) {
        self.maxPeersPerStore = maxPeersPerStore
        self.maxStores = maxStores
    }

    /// Stores with signalling sockets open.
    package var storeCount: Int { rooms.withLock { $0.count } }

    func join(_ store: String, _ peer: Peer) throws(JoinError) {
        try rooms.withLock { rooms throws(JoinError) in
            if rooms[store] == nil, rooms.count >= maxStores { throw .tooManyStores(limit: maxStores) }
            let entries = rooms[store, default: []]
            guard entries.count < maxPeersPerStore else { throw .full(limit: maxPeersPerStore) }
            rooms[store] = entries + [Entry(peer: peer)]
        }
    }

    func leave(_ store: String, _ peer: Peer) {
        rooms.withLock { rooms in
            rooms[store]?.removeAll { $0.peer === peer }
            if rooms[store]?.isEmpty == true { rooms[store] = nil }
        }
    }

    /// Routes one frame from `sender` as the type comment describes.
    func route(_ frame: WireFrame, from sender: Peer, in store: String) {
        var from: String?
        var to: String?
        if case .text(let text) = frame,
            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        {
            from = object["from"] as? String
            to = object["to"] as? String
        }
        let targets = rooms.withLock { rooms -> [Peer] in
            guard var entries = rooms[store] else { return [] }
            if let from, let index = entries.firstIndex(where: { $0.peer === sender }) {
                entries[index].peerID = from
                rooms[store] = entries
            }
            return entries.filter { $0.peer !== sender && (to == nil || $0.peerID == to) }.map(\.peer)
        }
        for target in targets { target.queue.send(frame) }
    }
}

/// The `/signal/:storeId` endpoint: token checks as for `/ws`, then relaying through a `SignalHub`.
package struct SignalEndpoint: Sendable {
    package let hub: SignalHub
    package let tokens: SDSTokenAuthority
    package let limits: RelayLimits
    /// Largest frame relayed; larger ones close with 1009.
    package let maxFrameBytes: Int
    /// The signalling sockets, closed with 1001 at shutdown.
    package let runner = ConnectionRunner()

    package init(hub: SignalHub, tokens: SDSTokenAuthority, limits: RelayLimits, maxFrameBytes: Int) {
        self.hub = hub
        self.tokens = tokens
        self.limits = limits
        self.maxFrameBytes = maxFrameBytes
    }

    /// Serves one signalling socket until it closes.
    package func serve<Inbound: AsyncSequence>(
        store: String, token: String?, inbound: Inbound, connection: some WireConnection, clock: WallClock = .system
    ) async where Inbound.Element == WireFrame {
        let refusal: CloseReason?
        do {
            let claims = try await tokens.verify(token)
            refusal =
                store.isEmpty || store.count > SDSEndpoint.maxStoreIDLength
                ? SDSClose.badStoreID : claims.aud == store ? nil : SDSClose.forbidden
        } catch {
            refusal = SDSClose.unauthorized
        }
        if let refusal {
            try? await connection.close(code: refusal.code, reason: refusal.reason)
            return
        }
        let peer = SignalHub.Peer(queue: OutboundQueue(maxBytes: limits.maxOutboundBytes))
        do {
            try hub.join(store, peer)
        } catch {
            let reason = error == .full(limit: hub.maxPeersPerStore) ? SDSClose.storeFull : SDSClose.unavailable
            try? await connection.close(code: reason.code, reason: reason.reason)
            return
        }
        var session = SignalSession(
            hub: hub, store: store, peer: peer, maxFrameBytes: maxFrameBytes,
            pace: TokenBucket(limits.rate, now: clock.now()), clock: clock)
        var frames = inbound.makeAsyncIterator()
        await runner.run(
            connection, queue: peer.queue, reading: &frames, session: &session,
            onClose: { [hub] _ in hub.leave(store, peer) })
    }
}

/// The reading half of one signalling socket.
struct SignalSession: ConnectionSession {
    let hub: SignalHub
    let store: String
    let peer: SignalHub.Peer
    let maxFrameBytes: Int
    var pace: TokenBucket
    let clock: WallClock

    mutating func receive(_ frame: WireFrame) async {
        guard frame.byteCount <= maxFrameBytes else { return peer.queue.close(SDSClose.frameTooLarge) }
        // A fast peer is slowed (its socket is not read until the rate allows), never dropped.
        await pace.paced(by: clock)
        hub.route(frame, from: peer, in: store)
    }

    func ended() async { hub.leave(store, peer) }
}
