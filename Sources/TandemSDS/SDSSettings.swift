import TandemCore

/// The SDS endpoints' own settings; the relay's limits (rate, outbound queue, clients per store,
/// stores) apply to them as well.
public struct SDSSettings: Sendable, Equatable {
    /// Whether PATCH and VALUE frames are stored and replayed to joining clients. Off, the server
    /// only relays between connected clients, as the original SDS server did by default.
    public var persists = true
    /// Largest binary frame accepted; larger ones close the socket with 1009. The default fits a
    /// 1 MiB value or chunk with its header.
    public var maxFrameBytes = (1 << 20) + 64
    /// Largest value reassembled from VALUE_CHUNK frames to become the store's snapshot; larger
    /// sequences are still relayed but not stored.
    public var maxValueBytes = 16 << 20

    public init() {}
}

/// How the SDS endpoints close sockets (docs/protocol-sds.md lists them).
public enum SDSClose {
    /// Missing, forged, expired or wrong-issuer token (the reference's code and text).
    public static let unauthorized = CloseReason(code: 4001, reason: "Unauthorized")
    /// The token is for another store.
    public static let forbidden = CloseReason(code: 4003, reason: "Forbidden")
    /// A frame over `maxFrameBytes`.
    public static let frameTooLarge = CloseReason(code: 1009, reason: "Frame too large")
    /// The store has `max.clients.per.room` clients already.
    public static let storeFull = CloseReason(code: 4503, reason: "Store full")
    /// Too many stores are open, or storage failed; the client should retry later.
    public static let unavailable = CloseReason(code: 1013, reason: "Try again later")
    /// The store id is empty or longer than 128 characters.
    public static let badStoreID = CloseReason(code: 4400, reason: "Invalid store id")
}
