import Logging
import TandemCore

/// The reading half of one SDS socket: limits, scope, framing checks and routing, a frame at a time.
struct SDSReader {
    let membership: Membership
    let queue: OutboundQueue
    let scope: SDSScope
    let settings: SDSSettings
    let logger: Logger
    private var rateLimiter: RateLimiter
    private var values: ValueAssembler

    init(membership: Membership, queue: OutboundQueue, scope: SDSScope, settings: SDSSettings, logger: Logger) {
        self.membership = membership
        self.queue = queue
        self.scope = scope
        self.settings = settings
        self.logger = logger
        self.rateLimiter = RateLimiter(membership.relay.limits.rate, now: membership.relay.clock.now())
        self.values = ValueAssembler(maxValueBytes: settings.maxValueBytes)
    }

    mutating func receive(_ frame: WireFrame) async {
        guard !queue.isClosed else { return }
        // SDS is binary only; text frames are ignored, as the original server did.
        guard case .binary(let bytes) = frame else { return }
        guard bytes.count <= settings.maxFrameBytes else { return queue.close(SDSClose.frameTooLarge) }
        // Dropping a patch silently would lose it, so a client over the rate is closed instead;
        // it reconnects and catches up from the store.
        guard rateLimiter.check(now: membership.relay.clock.now()) == .allowed else {
            return queue.close(.rateLimitAbuse)
        }
        let parsed: SDSFrame
        switch SDSFrame.parse(bytes) {
        case .success(let frame): parsed = frame
        case .failure(let malformed):
            return logger.debug("frame dropped", metadata: ["why": "\(malformed)"])
        }
        if parsed.kind.writes && !scope.mayWrite {
            return logger.debug("write frame from read scope dropped", metadata: ["type": "\(parsed.kind)"])
        }
        do throws(SendError) {
            switch parsed {
            case .patch where settings.persists:
                _ = try membership.send(to: .broadcast, render: { _, _ in .binary(bytes) })
            case .value where settings.persists:
                let result = try membership.send(to: .broadcast, render: { _, _ in .binary(bytes) })
                compactOnceDurable(result)
            case .valueChunk(let hash, let index, let total):
                try membership.relayTransient(.binary(bytes))
                if settings.persists { try collect(bytes, hash: hash, index: index, total: total) }
            case .requestValue(let hash) where settings.persists:
                if await !answerFromSnapshot(hash) { try membership.relayTransient(.binary(bytes)) }
            default:
                try membership.relayTransient(.binary(bytes))
            }
        } catch {
            logger.debug("frame not relayed", metadata: ["error": "\(error)"])
        }
    }

    /// Adds a chunk; a completed value is stored as the snapshot (not re-sent to peers, who had
    /// the chunks).
    private mutating func collect(_ bytes: [UInt8], hash: [UInt8], index: UInt32, total: UInt32) throws(SendError) {
        switch values.add(bytes, hash: hash, index: index, total: total) {
        case .incomplete:
            return
        case .abandoned:
            logger.debug("chunked value not stored", metadata: ["limit": "\(settings.maxValueBytes)"])
        case .complete(let value):
            let result = try membership.record { _, _ in
                .binary(SDSFrame.valueBytes(hash: value.hash, value: value.bytes))
            }
            compactOnceDurable(result)
        }
    }

    /// Once the snapshot at this seq is durable, the frames before it are deleted.
    private func compactOnceDurable(_ result: PublishResult) {
        guard case .published(let message, let ticket) = result else { return }
        let relay = membership.relay
        let logger = self.logger
        relay.log.whenDurable(ticket) {
            Task {
                do {
                    try await relay.compact(message.room, before: message.seq)
                } catch {
                    logger.warning(
                        "compaction failed; will retry with the next snapshot", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Answers a REQ_VALUE from the stored snapshot when its hash matches; returns whether it did.
    private func answerFromSnapshot(_ hash: [UInt8]) async -> Bool {
        let store = membership.relay.log.store
        guard
            let first = try? await store.messages(
                in: membership.room.id, for: membership.device, after: 0, through: .max >> 1, limit: 1
            ).first,
            case .binary(let body) = first.body,
            case .success(.value(let storedHash)) = SDSFrame.parse(body),
            storedHash == hash
        else { return false }
        queue.send(first.body)
        return true
    }
}
