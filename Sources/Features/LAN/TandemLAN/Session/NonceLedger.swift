import Synchronization

/// Every nonce used on one connection, in either direction.
///
/// Both sides encrypt with the same key, so a frame the server sent could be reflected back to it; recording
/// the server's own nonces next to the phone's refuses reflections as well as replays. Grows by one entry per
/// frame for the life of the connection (connections are short: a sync and a few jot transfers).
final class NonceLedger: Sendable {
    private let seen = Mutex(Set<[UInt8]>())

    /// Records `nonce`; false if it was already used on this connection.
    func insert(_ nonce: [UInt8]) -> Bool {
        seen.withLock { $0.insert(nonce).inserted }
    }

    func contains(_ nonce: [UInt8]) -> Bool {
        seen.withLock { $0.contains(nonce) }
    }
}
