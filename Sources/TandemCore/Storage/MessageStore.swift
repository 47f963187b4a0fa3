/// Durable storage of room logs. Implemented by the storage engines (SQLite now, others later);
/// the core never knows which one is behind it.
///
/// Implementations must be safe to call concurrently: appends come from one writer, reads from many.
public protocol MessageStore: Sendable {
    /// Stores a batch atomically: after it returns, every message in it survives a process crash.
    func append(_ batch: [RoomMessage]) async throws

    /// The highest sequence number ever assigned in `room`, or 0 for a room never written.
    /// Stays correct after retention removes old messages.
    func lastSeq(of room: RoomID) async throws -> UInt64

    /// Messages of `room` with `after < seq <= through` that `device` is entitled to (broadcasts by
    /// others and messages addressed to it), in seq order, at most `limit`.
    func messages(in room: RoomID, for device: DeviceID, after: UInt64, through: UInt64, limit: Int) async throws
        -> [RoomMessage]

    /// Deletes messages created before `cutoff` (ms since 1970) and returns how many went.
    func deleteMessages(createdBefore cutoff: Int64) async throws -> Int
}
