public import Logging
public import TandemConnection
public import TandemRelay

/// The Hone relay protocol as an adapter: turns one WebSocket connection's frames into relay
/// operations and relay events back into frames.
///
/// A connection's life: the first frame must be a join; then one task reads and relays the
/// client's messages while another writes `joined`, the catch-up (stored messages after the
/// client's lastSeq, or its offline buffer), and then live events in order.
public struct HoneEndpoint: Sendable {
    public let relay: Relay
    public let access: any AccessPolicy
    public let logger: Logger
    /// Most messages in one `deltas` frame (Hone's page size).
    public static let deltasPageSize = 1000
    /// Soft bound on one `deltas` frame's bytes; a page ends early once past it.
    public static let deltasPageBytes = 4 << 20
    /// How long a new connection may take to send its join frame.
    public let joinTimeout: Duration

    /// Largest frame read at all: a message over `maxMessageBytes` gets an error frame, one past
    /// twice that closes the connection (1009), as Hone's relay port did.
    public static func maxFrameBytes(_ limits: RelayLimits) -> Int { limits.maxMessageBytes * 2 }
    /// The joined connections, closed with 1001 at shutdown.
    public let runner = ConnectionRunner()

    public init(relay: Relay, access: any AccessPolicy, logger: Logger, joinTimeout: Duration = .seconds(10)) {
        self.relay = relay
        self.access = access
        self.logger = logger
        self.joinTimeout = joinTimeout
    }

    /// Serves one connection until it closes.
    public func serve<Inbound: AsyncSequence>(inbound: Inbound, connection: some WireConnection) async
    where Inbound.Element == WireFrame {
        var frames = inbound.makeAsyncIterator()
        // A connection that never joins must not hold a socket forever.
        let joinDeadline = Task {
            try await Task.sleep(for: joinTimeout)
            await reject(.joinTimeout(joinTimeout), connection)
            try await Task.sleep(for: OutboundQueue.closeGracePeriod)
            connection.abort()
        }
        let firstFrame = try? await frames.next()
        joinDeadline.cancel()
        guard let first = firstFrame else { return }
        let join: HoneJoin
        switch HoneJoin.parse(first) {
        case .success(let parsed): join = parsed
        case .failure(let error): return await reject(error, connection)
        }
        do {
            _ = try await access.authorize(token: join.token, device: join.device, room: join.room)
        } catch {
            return await reject(.from(error), connection)
        }
        let queue = OutboundQueue(maxBytes: relay.limits.maxOutboundBytes)
        let membership: Membership
        let admission: Admission
        do {
            (membership, admission) = try await relay.join(
                room: join.room, device: join.device, resuming: join.lastSeq != nil,
                outbox: RenderingOutbox(queue, rendering: HoneFrames.event))
        } catch {
            return await reject(.from(error), connection)
        }
        let logger = self.logger.with(room: join.room, device: join.device)
        logger.debug("joined", metadata: ["roomSeq": "\(admission.roomSeq)"])
        var reader = HoneReader(membership: membership, queue: queue, limits: relay.limits, clock: relay.clock)
        await runner.run(
            connection, queue: queue, reading: &frames, session: &reader,
            prelude: { try await writeCatchUp(join: join, admission: admission, membership: membership, connection) },
            onClose: { reason in
                // Closed by the server (replaced, too slow, shutdown): out of the room at once.
                logger.debug("closing", metadata: ["code": "\(reason.code)"])
                membership.leave()
            })
        logger.debug("left")
    }

    private func reject(_ error: HoneError, _ connection: some WireConnection) async {
        try? await connection.send(.text(HoneFrames.error(error)))
        try? await connection.close(code: error.close ?? 4400, reason: error.text)
    }

    /// Writes `joined`, then the catch-up: stored messages after the client's lastSeq, in
    /// `deltas` pages, or its offline buffer. Live events follow from the queue.
    private func writeCatchUp(
        join: HoneJoin, admission: Admission, membership: Membership, _ connection: some WireConnection
    ) async throws {
        let resumable = join.lastSeq.map { admission.canResume(from: $0, epoch: join.epoch) } ?? true
        try await connection.send(.text(HoneFrames.joined(join, admission, resync: !resumable)))
        guard let lastSeq = join.lastSeq else {
            for message in admission.buffered { try await connection.send(message.body) }
            return
        }
        // A client that cannot resume exactly gets everything retained, flagged `resync`.
        let from = resumable ? lastSeq : admission.prunedThrough
        let history = membership.history(after: from, through: admission.roomSeq, pageSize: Self.deltasPageSize)
        for try await batch in history {
            var start = batch.startIndex
            var bytes = 0
            for index in batch.indices {
                bytes += batch[index].body.byteCount
                if bytes >= Self.deltasPageBytes || index == batch.index(before: batch.endIndex) {
                    try await connection.send(.text(HoneFrames.deltas(room: join.room, batch[start...index])))
                    start = index + 1
                    bytes = 0
                }
            }
        }
    }
}

extension Logger {
    func with(room: RoomID, device: DeviceID) -> Logger {
        var logger = self
        logger[metadataKey: "room"] = "\(room)"
        logger[metadataKey: "device"] = "\(device)"
        return logger
    }
}
