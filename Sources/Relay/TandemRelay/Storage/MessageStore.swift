import TandemConnection

/// What storage knows about a room's log.
public struct RoomLogState: Sendable, Equatable {
    /// The highest sequence number ever assigned, 0 for a new room. Survives retention.
    public var lastSeq: UInt64
    /// Names this incarnation of the log. A new value means the log was reset: seqs from an older
    /// epoch mean nothing, and clients must resynchronise fully.
    public var epoch: String
    /// Every message with `seq <= prunedThrough` was deleted by retention.
    public var prunedThrough: UInt64

    public init(lastSeq: UInt64, epoch: String, prunedThrough: UInt64) {
        self.lastSeq = lastSeq
        self.epoch = epoch
        self.prunedThrough = prunedThrough
    }
}

/// How a room's log is shortened.
public enum RoomLogKind: String, Sendable {
    /// A history of messages: retention deletes what is older than its limit.
    case history
    /// The room's state (a CRDT's patches): retention never touches it; only `compact`, after a
    /// snapshot made the older entries redundant, removes anything.
    case state
}

/// Durable storage of room logs. Implemented by the storage engines (SQLite now, others later);
/// the core never knows which one is behind it.
///
/// Implementations must be safe to call concurrently: appends come from one writer, reads from many.
public protocol MessageStore: Sendable {
    /// Stores a batch atomically: after it returns, every message in it survives a process crash
    /// (and a power loss, when the store was opened for that).
    func append(_ batch: [RoomMessage]) async throws

    /// The room's log state, creating the room (with a fresh epoch and `kind`) if storage has never
    /// seen it. A known room keeps the kind it was created with.
    func openRoom(_ room: RoomID, kind: RoomLogKind) async throws -> RoomLogState

    /// Messages of `room` with `after < seq <= through` that `device` is entitled to (broadcasts by
    /// others and messages addressed to it), in seq order, at most `limit`.
    func messages(in room: RoomID, for device: DeviceID, after: UInt64, through: UInt64, limit: Int) async throws
        -> [RoomMessage]

    /// The client message ids `sender` used most recently in `room`, with their seqs, newest first.
    func recentClientIDs(in room: RoomID, sender: DeviceID, limit: Int) async throws -> [(id: String, seq: UInt64)]

    /// Deletes messages created before `cutoff` (ms since 1970) in `history` rooms; returns, for
    /// every room that lost messages, its new `prunedThrough`.
    func deleteMessages(createdBefore cutoff: Int64) async throws -> [RoomID: UInt64]

    /// Deletes the messages of `room` with `seq < seq` (a snapshot at `seq` supersedes them) and
    /// records `prunedThrough = seq - 1`.
    func compact(_ room: RoomID, before seq: UInt64) async throws
}
