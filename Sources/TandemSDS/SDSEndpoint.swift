import Foundation
import Logging
import TandemCore

/// The SDS sync protocol as an adapter: one store is one relay room (in the `sds` namespace), one
/// socket one anonymous member of it.
///
/// PATCH frames go through the room's log (stored, sequenced, delivered once durable). VALUE and
/// VALUE_CHUNK frames are relayed at once and their values kept as the store's blobs, which the
/// server sends to whoever asks with REQ_VALUE. PRESENCE and SYNC_REQ frames, and REQ_VALUE for a
/// blob the server lacks, are relayed at once without storage. A joining client first receives the
/// stored patches up to the room's delivered seq, then live traffic, so replay and live frames
/// neither overlap nor leave a gap.
public struct SDSEndpoint: Sendable {
    public let relay: Relay
    public let tokens: SDSTokenAuthority
    public let settings: SDSSettings
    public let blobs: any SDSBlobStore
    public let logger: Logger
    /// Most stored frames read from storage at once during replay.
    public static let replayPageSize = 500
    public static let maxStoreIDLength = 128

    public init(
        relay: Relay, tokens: SDSTokenAuthority, settings: SDSSettings, blobs: any SDSBlobStore, logger: Logger
    ) {
        self.relay = relay
        self.tokens = tokens
        self.settings = settings
        self.blobs = blobs
        self.logger = logger
    }

    /// The relay room holding `store`.
    public static func room(for store: String) -> RoomID { RoomID(namespace: "sds", name: store) }

    /// Serves one `/ws/:storeId` socket until it closes.
    public func serve<Inbound: AsyncSequence>(
        store: String, token: String?, inbound: Inbound, connection: some WireConnection
    ) async where Inbound.Element == WireFrame {
        guard !store.isEmpty, store.count <= Self.maxStoreIDLength else {
            return await close(connection, SDSClose.badStoreID)
        }
        let claims: SDSClaims
        do {
            claims = try await tokens.verify(token)
        } catch {
            logger.debug("token refused", metadata: ["store": "\(store)", "why": "\(error)"])
            return await close(connection, SDSClose.unauthorized)
        }
        guard claims.aud == store else { return await close(connection, SDSClose.forbidden) }

        let queue = OutboundQueue(maxBytes: relay.limits.maxOutboundBytes)
        let room = Self.room(for: store)
        let membership: Membership
        let admission: Admission
        do {
            (membership, admission) = try await relay.join(
                room: room, device: DeviceID("sds-" + UUID().uuidString), resuming: true, outbox: queue,
                kind: .state, holdsOfflineBuffer: false)
        } catch {
            if case .roomFull = error { return await close(connection, SDSClose.storeFull) }
            logger.warning("join refused", metadata: ["store": "\(store)", "error": "\(error)"])
            return await close(connection, SDSClose.unavailable)
        }
        let logger = self.logger.with(store: store, subject: claims.sub)
        logger.debug("connected", metadata: ["scope": "\(claims.scope)", "roomSeq": "\(admission.roomSeq)"])

        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await writeAll(admission: admission, room: room, device: membership.device, queue: queue, connection)
            }
            group.addTask {
                await queue.dropWhenClosed(connection) { reason in
                    logger.debug("closing", metadata: ["code": "\(reason.code)"])
                    membership.leave()
                }
            }
            var reader = SDSReader(
                store: store, membership: membership, queue: queue, scope: claims.scope, settings: settings,
                blobs: blobs, logger: logger)
            var frames = inbound.makeAsyncIterator()
            while let frame = try? await frames.next() {
                await reader.receive(frame)
            }
            membership.disconnected()
            queue.finish()
            group.cancelAll()
        }
        logger.debug("disconnected")
    }

    private func close(_ connection: some WireConnection, _ reason: CloseReason) async {
        try? await connection.close(code: reason.code, reason: reason.reason)
    }

    private func writeAll(
        admission: Admission, room: RoomID, device: DeviceID, queue: OutboundQueue, _ connection: some WireConnection
    ) async {
        do {
            if settings.persists {
                try await replay(
                    room: room, device: device, after: admission.prunedThrough, through: admission.roomSeq, connection)
            }
            try await queue.write(to: connection) { event in
                switch event {
                case .message(let message): message.body
                case .transient(_, _, let frame): frame
                case .peerJoined, .peerLeft, .hostChanged: nil  // SDS has no membership events on the wire
                }
            }
        } catch {
            logger.debug("write failed", metadata: ["error": "\(error)"])
        }
    }

    /// Sends every stored patch up to `through`, in seq order.
    private func replay(
        room: RoomID, device: DeviceID, after: UInt64, through: UInt64, _ connection: some WireConnection
    ) async throws {
        var cursor = after
        while cursor < through, !Task.isCancelled {
            let page = try await relay.log.store.messages(
                in: room, for: device, after: cursor, through: through, limit: Self.replayPageSize)
            guard let last = page.last else { return }
            for message in page { try await connection.send(message.body) }
            cursor = last.seq
        }
    }
}

extension Logger {
    func with(store: String, subject: String) -> Logger {
        var logger = self
        logger[metadataKey: "store"] = "\(store)"
        logger[metadataKey: "sub"] = "\(subject)"
        return logger
    }
}
