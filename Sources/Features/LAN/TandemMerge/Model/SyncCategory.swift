/// The heading of one list slot (or scratchpad slot), with its wire field names.
public struct SyncCategory: Codable, Sendable, Hashable {
    public var label: String
    public var section: String
    public var updatedAt: Milliseconds

    public init(label: String, section: String, updatedAt: Milliseconds) {
        self.label = label
        self.section = section
        self.updatedAt = updatedAt
    }
}
