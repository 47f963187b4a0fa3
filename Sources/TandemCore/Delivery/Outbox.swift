/// Where a room puts events for one member. Called while the room is locked: must never block.
public protocol Outbox: AnyObject, Sendable {
    func deliver(_ event: RoomEvent)
    /// Ends the connection with `reason` after what is already queued has been sent.
    func close(_ reason: CloseReason)
}
