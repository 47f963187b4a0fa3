import TandemConnection

/// Why a device could not join a room.
public enum JoinError: Error, Sendable, Equatable {
    case roomFull(limit: Int)
    case tooManyRooms(limit: Int)
    case shuttingDown
    case storageUnavailable(String)
}

/// Why a message was refused. Nothing refused is stored or delivered.
public enum SendError: Error, Sendable, Equatable {
    /// Addressed to "host" while the room has none.
    case noHost
    /// Addressed to the sender itself (directly, or as the room's host).
    case selfAddressed
    /// The connection is no longer a member (replaced or removed).
    case notMember
}
