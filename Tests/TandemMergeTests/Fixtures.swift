import TandemMerge

/// A live item; times default to 100 so tests only spell out what matters.
func item(
    _ id: String,
    _ text: String = "text",
    done: Bool = false,
    at position: Double = 1,
    updated: Milliseconds = 100
) -> SyncItem {
    SyncItem(id: id, text: text, done: done, position: position, createdAt: 50, updatedAt: updated)
}

extension SyncItem {
    /// This item edited at `time`.
    func with(
        text: String? = nil,
        done: Bool? = nil,
        position: Double? = nil,
        at time: Milliseconds
    ) -> SyncItem {
        var copy = self
        if let text { copy.text = text }
        if let done { copy.done = done }
        if let position { copy.position = position }
        copy.updatedAt = time
        return copy
    }

    /// This item deleted at `time`, as a device marks it.
    func tombstoned(at time: Milliseconds) -> SyncItem {
        var copy = self
        copy.deleted = true
        copy.deletedAt = time
        copy.updatedAt = time
        return copy
    }
}

/// A state with one regular list.
func state(_ items: [SyncItem]) -> SyncState {
    SyncState(lists: [items])
}

/// Merges states that each hold one regular list.
func merge(
    ancestor: [SyncItem]?,
    phone: [SyncItem],
    desktop: [SyncItem],
    decisions: ConflictDecisions = .none
) -> MergeResult {
    SyncMerge.merge(
        ancestor: ancestor.map(state), phone: state(phone), desktop: state(desktop), decisions: decisions)
}

extension MergeResult {
    /// The items of the first regular list.
    var items: [SyncItem] { state.lists.first ?? [] }
}
