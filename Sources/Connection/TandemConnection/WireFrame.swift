/// A WebSocket message as adapters see it: text or binary, with no transport types attached.
public enum WireFrame: Sendable, Equatable {
    case text(String)
    case binary([UInt8])

    /// Size of the frame's payload in bytes.
    public var byteCount: Int {
        switch self {
        case .text(let string): string.utf8.count
        case .binary(let bytes): bytes.count
        }
    }
}

/// The sending half of one client connection, implemented by the server over its WebSocket library.
public protocol WireConnection: Sendable {
    func send(_ frame: WireFrame) async throws
    /// Writes `queue`'s frames as they are queued, until the queue's close item (returned, not yet
    /// sent) or its end (nil).
    func stream(_ queue: OutboundQueue) async throws -> CloseReason?
    /// Sends a close frame; the connection ends when the peer answers or the transport times out.
    func close(code: UInt16, reason: String) async throws
    /// Drops the transport at once, for a peer that does not read its close frame.
    func abort()
}

extension WireConnection {
    /// Writes from a task, one frame at a time; transports with their own threads do better.
    public func stream(_ queue: OutboundQueue) async throws -> CloseReason? {
        for await item in queue {
            switch item {
            case .frame(let frame): try await send(frame)
            case .close(let reason): return reason
            }
        }
        return nil
    }
}

/// Why the server closes a connection: a WebSocket close code and a short reason.
public struct CloseReason: Sendable, Equatable, Error {
    public let code: UInt16
    public let reason: String
    public init(code: UInt16, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The server is shutting down (1001).
    public static let goingAway = CloseReason(code: 1001, reason: "Server shutting down")
    /// The same device joined the room again on another connection.
    public static let replaced = CloseReason(code: 4409, reason: "Replaced by a newer connection of this device")
    /// A message far over the size limit (1009, as WebSocket transports close for it).
    public static let messageTooLarge = CloseReason(code: 1009, reason: "Message too large")
    /// The client read too slowly and its outbound queue passed the configured bound.
    public static let slowConsumer = CloseReason(code: 4508, reason: "Too slow reading: rejoin with lastSeq")
    /// The device's token was revoked (the device was deleted from its account).
    public static let tokenRevoked = CloseReason(code: 4401, reason: "token_revoked: this device was removed")
    /// The room's project was deleted, so its devices may no longer be in it.
    public static let roomRevoked = CloseReason(code: 4403, reason: "room_revoked: the project was deleted")
}
