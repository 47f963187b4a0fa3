package import TandemConnection
import TandemRelay

/// The SDS endpoints' own settings; the relay's limits (rate, outbound queue, clients per store,
/// stores) apply to them as well.
package struct SDSSettings: Sendable, Equatable {
    /// Whether PATCH frames are stored and replayed to joining clients, and value blobs stored and
    /// served on REQ_VALUE. Off, the server only relays between connected clients, as the original
    /// SDS server did by default.
    package var persists = true
    /// Largest binary frame accepted; larger ones close the socket with 1009. The default fits a
    /// 1 MiB value or chunk with its header.
    package var maxFrameBytes = (1 << 20) + 64
    /// Largest value blob stored, from one VALUE frame or reassembled from VALUE_CHUNK frames. A
    /// larger one is still relayed to the store's connected clients but not stored, and the server
    /// logs a warning naming the store, hash and size. (SDS has no error frame, and closing the socket
    /// would drop the patches its client sent after the value: SDS clients do not resend them.)
    package var maxValueBytes = 16 << 20
    /// Most bytes of value blobs one store keeps; past it, new blobs are handled like one over
    /// `maxValueBytes`.
    package var maxStoreBytes = 1 << 30
    /// Size of the VALUE_CHUNK pieces the server sends when it answers REQ_VALUE for a larger value
    /// (SDS's own clients use 1 MiB).
    package static let chunkBytes = 1 << 20

    package init() {}
}

/// How the SDS endpoints close sockets (docs/protocol-sds.md lists them).
package enum SDSClose {
    /// Missing, forged, expired or wrong-issuer token (the reference's code and text).
    package static let unauthorized = CloseReason(code: 4001, reason: "Unauthorized")
    /// The token is for another store.
    package static let forbidden = CloseReason(code: 4003, reason: "Forbidden")
    /// A frame over `maxFrameBytes`.
    package static let frameTooLarge = CloseReason(code: 1009, reason: "Frame too large")
    /// The store has `max.clients.per.room` clients already.
    package static let storeFull = CloseReason(code: 4503, reason: "Store full")
    /// Too many stores are open, or storage failed; the client should retry later.
    package static let unavailable = CloseReason(code: 1013, reason: "Try again later")
    /// The store id is empty or longer than 128 characters.
    package static let badStoreID = CloseReason(code: 4400, reason: "Invalid store id")
}
