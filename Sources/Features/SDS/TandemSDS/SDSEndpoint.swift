import Foundation
package import Logging
package import TandemConnection
package import TandemRelay

/// The SDS sync protocol as an adapter: one store is one relay room (in the `sds` namespace), one
/// socket one anonymous member of it.
///
/// PATCH frames go through the room's log (stored, sequenced, delivered once durable). VALUE and
/// VALUE_CHUNK frames are relayed at once and their values kept as the store's blobs, which the
/// server sends to whoever asks with REQ_VALUE. PRESENCE and SYNC_REQ frames, and REQ_VALUE for a
/// blob the server lacks, are relayed at once without storage. A joining client first receives the
/// stored patches up to the room's delivered seq, then live traffic, so replay and live frames
/// neither overlap nor leave a gap.
package struct SDSEndpoint: Sendable {
    package let relay: Relay
    package let tokens: SDSTokenAuthority
    package let settings: SDSSettings
    package let blobs: any SDSBlobStore
    package let logger: Logger
    /// The sockets of every store, closed with 1001 at shutdown.
    package let runner = ConnectionRunner()
    /// Most stored frames read from storage at once during replay.
    package static let replayPageSize = 500
    package static let maxStoreIDLength = 128

    package init(
        relay: Relay, tokens: SDSTokenAuthority, settings: SDSSettings, blobs: any SDSBlobStore, logger: Logger
    ) {
        self.relay = relay
        self.tokens = tokens
        self.settings = settings
        self.blobs = blobs
        self.logger = logger
    }

    /// The relay room holding `store`.
    package static func room(for store: String) -> RoomID { RoomID(namespace: "sds", name: store) }

    /// Serves one `/ws/:storeId` socket until it closes.
    package func serve<Inbound: AsyncSequence>(
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
                room: room, device: DeviceID("sds-" + UUID().uuidString), resuming: true,
                outbox: RenderingOutbox(queue, rendering: Self.frame(for:)),
                kind: .state, holdsOfflineBuffer: false)
        } catch {
            if case .roomFull = error { return await close(connection, SDSClose.storeFull) }
            logger.warning("join refused", metadata: ["store": "\(store)", "error": "\(error)"])
            return await close(connection, SDSClose.unavailable)
        }
        let logger = self.logger.with(store: store, subject: claims.sub)
        logger.debug("connected", metadata: ["scope": "\(claims.scope)", "roomSeq": "\(admission.roomSeq)"])

        var reader = SDSReader(
            store: store, membership: membership, queue: queue, scope: claims.scope, settings: settings,
            blobs: blobs, logger: logger)
        var frames = inbound.makeAsyncIterator()
        await runner.run(
            connection, queue: queue, reading: &frames, session: &reader,
            prelude: { [settings] in
                guard settings.persists else { return }
                // Every stored patch up to the delivered seq; live frames follow from the queue.
                let history = membership.history(
                    after: admission.prunedThrough, through: admission.roomSeq, pageSize: Self.replayPageSize)
                for try await page in history {
                    for message in page { try await connection.send(message.body) }
                }
            },
            onClose: { reason in
                logger.debug("closing", metadata: ["code": "\(reason.code)"])
                membership.leave()
            })
        logger.debug("disconnected")
    }

    /// What a member's socket gets for a room event: SDS has no membership events on the wire.
    static func frame(for event: RoomEvent) -> WireFrame? {
        switch event {
        case .message(let message): message.body
        case .transient(_, _, let frame): frame
        case .peerJoined, .peerLeft, .hostChanged: nil
        }
    }

    private func close(_ connection: some WireConnection, _ reason: CloseReason) async {
        try? await connection.close(code: reason.code, reason: reason.reason)
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
