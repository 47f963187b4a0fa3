/// The free text of one scratchpad slot, with its wire field names.
public struct ScratchpadEntry: Codable, Sendable, Hashable {
    public var content: String
    public var updatedAt: Milliseconds

    public init(content: String, updatedAt: Milliseconds) {
        self.content = content
        self.updatedAt = updatedAt
    }
}
