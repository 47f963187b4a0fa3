import TandemConnection

/// What a device learns when it is admitted to a room.
public struct Admission: Sendable {
    /// The room's host after this join.
    public let host: DeviceID?
    /// Other connected devices, longest-connected first.
    public let peers: [DeviceID]
    /// The last seq delivered in the room at the moment of joining: everything up to it is in
    /// storage, and live delivery continues after it.
    public let roomSeq: UInt64
    /// The room log's epoch; a client holding seqs of another epoch must resynchronise.
    public let epoch: String
    /// Messages with `seq <= prunedThrough` were deleted by retention.
    public let prunedThrough: UInt64
    /// Messages held for this device while it was away (only when it joined without lastSeq).
    public let buffered: [RoomMessage]
    /// True when messages for this device were dropped from its offline buffer (over the size
    /// bound); the device should catch up with lastSeq.
    public let bufferOverflowed: Bool

    /// Whether a client that has everything up to `lastSeq` of `epoch` can be brought up to date
    /// exactly from the log, or must resynchronise from scratch.
    public func canResume(from lastSeq: UInt64, epoch clientEpoch: String?) -> Bool {
        if let clientEpoch, clientEpoch != epoch { return false }
        return lastSeq <= roomSeq && lastSeq >= prunedThrough
    }
}

/// The outcome of sending a message.
public enum PublishResult: Sendable, Equatable {
    /// Sequenced and handed to storage and recipients; durable once `ticket` is.
    case published(RoomMessage, MessageLog.Ticket)
    /// A retry of a message this device already sent with the same id; nothing was done again.
    case duplicate(seq: UInt64)
}
