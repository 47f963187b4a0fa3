/// A field of an item that can conflict. `deleted`, `deletedAt` and `createdAt` never do (see ``SyncMerge``).
public enum ItemField: String, Codable, Sendable, Hashable, CaseIterable {
    case text
    case done
    case position
}

/// A per-slot value outside the item lists.
public enum SlotKind: String, Codable, Sendable, Hashable, CaseIterable {
    case listsCategories
    case lockedListsCategories
    case scratchpad
    case scratchpadCategories
}

/// What a conflict is about; stable across re-runs of the same merge, so it keys a decision.
public enum ConflictSubject: Codable, Sendable, Hashable {
    /// One field of the item `id` in slot `slot` of `group`.
    case item(group: ListGroup, slot: Int, id: String, field: ItemField)
    /// The whole value of one category or scratchpad slot.
    case slot(kind: SlotKind, slot: Int)
}

/// One side's value in a conflict.
public enum ConflictValue: Codable, Sendable, Hashable {
    case text(String)
    case done(Bool)
    case position(Double)
    case category(SyncCategory)
    case scratchpad(ScratchpadEntry)
}

/// Both sides changed the same value differently at the same `updatedAt`, so the merge cannot pick a winner.
public struct MergeConflict: Codable, Sendable, Hashable {
    public let subject: ConflictSubject
    public let phone: ConflictValue
    public let desktop: ConflictValue

    public init(subject: ConflictSubject, phone: ConflictValue, desktop: ConflictValue) {
        self.subject = subject
        self.phone = phone
        self.desktop = desktop
    }

    /// The value of `side`.
    public func value(of side: SyncSide) -> ConflictValue {
        switch side {
        case .phone: phone
        case .desktop: desktop
        }
    }
}
