/// The merged state and what still needs a person (or a server policy) to decide.
public struct MergeResult: Codable, Sendable, Hashable {
    /// The merged state, with the desktop value standing in for every pending conflict.
    public let state: SyncState
    /// Ties the decisions passed to the merge did not settle, in a stable order: items by group, slot, id and
    /// field, then category and scratchpad slots.
    public let conflicts: [MergeConflict]
    /// Whether a side looks wiped; see ``LargeChangeCheck``.
    public let largeChange: LargeChangeCheck

    public init(state: SyncState, conflicts: [MergeConflict], largeChange: LargeChangeCheck) {
        self.state = state
        self.conflicts = conflicts
        self.largeChange = largeChange
    }

    /// Whether `state` can be applied as it is: no pending conflict and no tripped gate.
    public var isSettled: Bool { conflicts.isEmpty && !largeChange.isTripped }
}
