import TandemConnection
import TandemRelay

/// The reading half of a joined Hone connection: limits, validation and relaying, one frame at a
/// time. Replies (errors) go through the connection's outbound queue, after what is already queued.
struct HoneReader: ConnectionSession {
    let membership: Membership
    let queue: OutboundQueue
    let limits: RelayLimits
    let clock: WallClock
    private var pace: TokenBucket

    init(membership: Membership, queue: OutboundQueue, limits: RelayLimits, clock: WallClock) {
        self.membership = membership
        self.queue = queue
        self.limits = limits
        self.clock = clock
        self.pace = TokenBucket(limits.rate, now: clock.now())
    }

    mutating func receive(_ frame: WireFrame) async {
        guard case .text(let text) = frame else { return refuse(.binaryFrame) }
        // Hone clients send short "ping"/"pong" keep-alive texts; they are not messages.
        if text.utf8.count < 30, text.contains("ping") || text.contains("pong") { return }
        // Every other frame counts against the rate, valid or not. Over it, this socket is not read
        // again until the rate allows: a fast client is slowed by TCP, never refused or closed.
        await pace.paced(by: clock)
        // Far over the limit closes, as the transport does on the relay-only port.
        guard text.utf8.count <= HoneEndpoint.maxFrameBytes(limits) else { return queue.close(.messageTooLarge) }
        guard text.utf8.count <= limits.maxMessageBytes else {
            return refuse(.messageTooLarge(limit: limits.maxMessageBytes))
        }
        let message: HoneMessage
        switch HoneMessage.parse(text, device: membership.device, room: membership.room.id) {
        case .failure(let error): return refuse(error)
        case .success(let parsed): message = parsed
        }
        do {
            let result = try membership.send(to: message.recipient, clientID: message.clientID, render: message.render)
            if let id = message.clientID { acknowledge(id, result) }
        } catch {
            refuse(.from(error), id: message.clientID)
        }
    }

    func ended() async { membership.disconnected() }

    /// Sends `{"type":"ack"}` once the message (or, for a retry, everything before it) is durable.
    private func acknowledge(_ id: String, _ result: PublishResult) {
        let queue = self.queue
        membership.whenDurable(result) { seq in queue.send(.text(HoneFrames.ack(id: id, seq: seq))) }
    }

    /// Answers a refused frame; `id` names the refused message when it had one.
    private func refuse(_ error: HoneError, id: String? = nil) {
        queue.send(.text(HoneFrames.error(error, id: id)))
    }
}
