/// The mergeable part of a `state_sync` message: lists, locked lists, their categories and the scratchpad.
///
/// The wire message also carries `since`, `notes` and `jotTexts`; jots flow one way (phone to computer) and are
/// never merged, so the server adapter keeps those fields beside this value. Decoding ignores them.
public struct SyncState: Codable, Sendable, Hashable {
    /// Six list slots on the wire; the merge accepts any number.
    public var lists: [[SyncItem]]
    public var lockedLists: [[SyncItem]]
    public var listsCategories: [SyncCategory]
    public var lockedListsCategories: [SyncCategory]
    /// Absent when the sender has no scratchpad; `nil` is "not sent", never "cleared".
    public var scratchpad: [ScratchpadEntry]?
    public var scratchpadCategories: [SyncCategory]?

    public init(
        lists: [[SyncItem]] = [],
        lockedLists: [[SyncItem]] = [],
        listsCategories: [SyncCategory] = [],
        lockedListsCategories: [SyncCategory] = [],
        scratchpad: [ScratchpadEntry]? = nil,
        scratchpadCategories: [SyncCategory]? = nil
    ) {
        self.lists = lists
        self.lockedLists = lockedLists
        self.listsCategories = listsCategories
        self.lockedListsCategories = lockedListsCategories
        self.scratchpad = scratchpad
        self.scratchpadCategories = scratchpadCategories
    }

    /// The item slots of one group.
    public subscript(group: ListGroup) -> [[SyncItem]] {
        get {
            switch group {
            case .lists: lists
            case .lockedLists: lockedLists
            }
        }
        set {
            switch group {
            case .lists: lists = newValue
            case .lockedLists: lockedLists = newValue
            }
        }
    }
}

/// The two families of item lists; locked lists merge exactly like regular ones.
public enum ListGroup: String, Codable, Sendable, Hashable, CaseIterable {
    case lists
    case lockedLists
}

/// The two devices of a sync. The desktop role is played by the Tandem server.
public enum SyncSide: String, Codable, Sendable, Hashable, CaseIterable {
    case phone
    case desktop
}
