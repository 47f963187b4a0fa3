package import TandemMerge

/// A phone that completed a handshake with the right pairing secret.
package struct PairedDevice: Codable, Sendable, Equatable {
    package var deviceId: String
    /// Milliseconds since the epoch of the first accepted handshake.
    package var pairedAt: Int64
    package var lastSeenAt: Int64
    /// The last sync that finished (merged or empty); nil before the first.
    package var lastSyncAt: Int64?

    package init(deviceId: String, pairedAt: Int64, lastSeenAt: Int64, lastSyncAt: Int64?) {
        self.deviceId = deviceId
        self.pairedAt = pairedAt
        self.lastSeenAt = lastSeenAt
        self.lastSyncAt = lastSyncAt
    }
}

/// A jot binary received from a phone, stored on disk under its SHA-256.
package struct StoredJotFile: Codable, Sendable, Equatable {
    package var deviceId: String
    package var jotId: Int
    package var fileId: String
    /// `image`, `audio` or `file`.
    package var fileType: String
    package var format: String
    /// Lowercase hex SHA-256 of the content: also its file name under `lan.files.path`.
    package var sha256: String
    package var size: Int
    package var receivedAt: Int64

    package init(
        deviceId: String, jotId: Int, fileId: String, fileType: String, format: String, sha256: String, size: Int,
        receivedAt: Int64
    ) {
        self.deviceId = deviceId
        self.jotId = jotId
        self.fileId = fileId
        self.fileType = fileType
        self.format = format
        self.sha256 = sha256
        self.size = size
        self.receivedAt = receivedAt
    }
}

/// Durable state of the LAN endpoint: the computer's list state, one ancestor per paired device, the
/// devices, jot metadata and file records. Implemented by storage engines (SQLite now, PostgreSQL later).
///
/// Implementations must be safe to call concurrently. Times are milliseconds since the epoch.
package protocol LANStore: Sendable {
    /// A persisted server setting (such as a generated pairing secret), nil if never set.
    func setting(_ key: String) async throws -> String?
    func setSetting(_ key: String, _ value: String) async throws

    /// Records an accepted handshake: creates the device or updates its `lastSeenAt`.
    func pair(device: String, at time: Int64) async throws
    func devices() async throws -> [PairedDevice]
    /// Removes the device with its ancestor, jot metadata and file records; false if it was unknown.
    func forget(device: String) async throws -> Bool

    /// The computer's current state; nil before any sync.
    func desktopState() async throws -> SyncState?
    /// The state `device` and the computer agreed on at their last sync; nil before the first.
    func ancestor(device: String) async throws -> SyncState?
    /// Applies a finished sync whose result the phone already holds, atomically: `state` becomes the computer's
    /// state and `device`'s ancestor, and the device's `lastSyncAt` becomes `time`.
    func commitSync(device: String, state: SyncState, at time: Int64) async throws
    /// A merge result the phone does not hold yet: `state` becomes the computer's state; no device changes.
    func saveDesktopState(_ state: SyncState, at time: Int64) async throws
    /// `device`'s phone confirmed it now holds `ancestor`: it becomes the device's ancestor and the device's
    /// `lastSyncAt` becomes `time`. The computer's state is left as it is (another device may have moved it on).
    func confirmSync(device: String, ancestor: SyncState, at time: Int64) async throws
    /// A sync in which nothing changed: only the device's `lastSyncAt` moves.
    func recordEmptySync(device: String, at time: Int64) async throws

    /// Stores (replacing) one jot's metadata.
    func saveJot(device: String, meta: JotMeta, at time: Int64) async throws
    func jots(device: String) async throws -> [JotMeta]
    /// Records (replacing) one received file.
    func saveFile(_ file: StoredJotFile) async throws
    func files(device: String) async throws -> [StoredJotFile]
}
