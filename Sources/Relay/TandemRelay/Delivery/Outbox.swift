public import TandemConnection

/// Where a room puts events for one member. Called while the room is locked: must never block.
public protocol Outbox: AnyObject, Sendable {
    func deliver(_ event: RoomEvent)
    /// Ends the connection with `reason` after what is already queued has been sent.
    func close(_ reason: CloseReason)
}

/// A member's outbox over its connection's `OutboundQueue`: each event becomes the frame the
/// adapter renders for it (nil: nothing on the wire) the moment the room delivers it. A stored
/// message's frame is the one the room rendered once for every recipient.
public final class RenderingOutbox: Outbox {
    public let queue: OutboundQueue
    private let render: @Sendable (RoomEvent) -> WireFrame?

    public init(_ queue: OutboundQueue, rendering render: @escaping @Sendable (RoomEvent) -> WireFrame?) {
        self.queue = queue
        self.render = render
    }

    public func deliver(_ event: RoomEvent) {
        if let frame = render(event) { queue.send(frame) }
    }

    public func close(_ reason: CloseReason) { queue.close(reason) }
}
