import TandemConnection

/// Messages held in memory for a device that left a room recently, delivered in order if it
/// rejoins before `expiresAt`. Bounded in bytes; on overflow it keeps nothing and remembers that,
/// so the device is told to catch up from storage.
struct OfflineBuffer: Sendable {
    let expiresAt: Int64
    let maxBytes: Int
    private(set) var messages: [RoomMessage] = []
    private(set) var bytes = 0
    private(set) var overflowed = false

    init(expiresAt: Int64, maxBytes: Int) {
        self.expiresAt = expiresAt
        self.maxBytes = maxBytes
    }

    mutating func append(_ message: RoomMessage) {
        guard !overflowed else { return }
        let size = message.body.byteCount
        if bytes + size > maxBytes {
            overflowed = true
            messages = []
            bytes = 0
            return
        }
        messages.append(message)
        bytes += size
    }
}
