import TandemCore

/// The reading half of a joined Hone connection: limits, validation and relaying, one frame at a
/// time. Replies (errors) go through the connection's outbound queue, after what is already queued.
struct HoneReader {
    let membership: Membership
    let queue: OutboundQueue
    let limits: RelayLimits
    let clock: WallClock
    private var rateLimiter: RateLimiter

    init(membership: Membership, queue: OutboundQueue, limits: RelayLimits, clock: WallClock) {
        self.membership = membership
        self.queue = queue
        self.limits = limits
        self.clock = clock
        self.rateLimiter = RateLimiter(limits.rate, now: clock.now())
    }

    mutating func receive(_ frame: WireFrame) {
        guard !queue.isClosed else { return }
        guard case .text(let text) = frame else { return refuse(.binaryFrame) }
        // Hone clients send short "ping"/"pong" keep-alive texts; they are not messages.
        if text.utf8.count < 30, text.contains("ping") || text.contains("pong") { return }
        switch rateLimiter.check(now: clock.now()) {
        case .allowed: break
        case .refused: return refuse(.rateLimited(perSecond: limits.rate.messagesPerSecond))
        case .abusive: return queue.close(.rateLimitAbuse)
        }
        guard text.utf8.count <= limits.maxMessageBytes else {
            return refuse(.messageTooLarge(limit: limits.maxMessageBytes))
        }
        switch HoneMessage.parse(text, device: membership.device, room: membership.room.id) {
        case .failure(let error):
            refuse(error)
        case .success(let message):
            do {
                let result = try membership.send(
                    to: message.recipient, clientID: message.clientID, render: message.render)
                if let id = message.clientID { acknowledge(id, result) }
            } catch {
                refuse(.from(error))
            }
        }
    }

    /// Sends `{"type":"ack"}` once the message (or, for a retry, everything before it) is durable.
    private func acknowledge(_ id: String, _ result: PublishResult) {
        let queue = self.queue
        let log = membership.relay.log
        switch result {
        case .published(let message, let ticket):
            log.whenDurable(ticket) { queue.send(.text(HoneFrames.ack(id: id, seq: message.seq))) }
        case .duplicate(let seq):
            log.whenDurable(log.lastTicket) { queue.send(.text(HoneFrames.ack(id: id, seq: seq))) }
        }
    }

    private func refuse(_ error: HoneError) {
        queue.send(.text(HoneFrames.error(error)))
    }
}
