/// Milliseconds since the Unix epoch, as the phone's JavaScript `Date.now()` sends them.
///
/// A `Double` rather than an integer so that any JSON number the phone sends decodes.
public typealias Milliseconds = Double

/// One entry of a list, with the field names of the `state_sync` wire message.
public struct SyncItem: Codable, Sendable, Hashable {
    /// A UUID string; it identifies the item within its list slot.
    public var id: String
    public var text: String
    public var done: Bool
    /// A fractional sort key: lists display live items by ascending position, then id.
    public var position: Double
    public var createdAt: Milliseconds
    public var updatedAt: Milliseconds
    /// `true` marks a tombstone. Absent and `false` both mean live, and are kept as sent.
    public var deleted: Bool?
    public var deletedAt: Milliseconds?

    public init(
        id: String,
        text: String,
        done: Bool = false,
        position: Double,
        createdAt: Milliseconds,
        updatedAt: Milliseconds,
        deleted: Bool? = nil,
        deletedAt: Milliseconds? = nil
    ) {
        self.id = id
        self.text = text
        self.done = done
        self.position = position
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deleted = deleted
        self.deletedAt = deletedAt
    }

    /// Whether this item is a deletion marker.
    public var isTombstone: Bool { deleted == true }
}
