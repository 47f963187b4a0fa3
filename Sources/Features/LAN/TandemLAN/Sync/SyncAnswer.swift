package import TandemMerge

/// A person's answer to a pending sync.
package enum SyncAnswer: Sendable, Equatable {
    /// Keep the merge: `choices` maps conflict keys to the winning side, `otherwise` covers the rest. Merging
    /// while the large-change gate is tripped is allowed: answering `merge` is the explicit choice.
    case merge(choices: [String: SyncSide], otherwise: SyncSide?)
    /// "Use phone data".
    case usePhone
    /// "Use computer data".
    case useDesktop
    /// "Cancel sync": nothing changes; the phone gets `sync_cancel`.
    case cancel
}

/// Why an answer could not be applied.
package enum SyncDecisionError: Error, Sendable, Equatable {
    /// No pending sync has this id (answered, timed out, or its phone disconnected).
    case notFound
    /// Keys in `choices` that name no conflict of this sync.
    case unknownConflicts([String])
    /// Conflicts the answer leaves open; the sync stays pending.
    case undecided([String])
    /// The computer's state changed since the sync was held (another device synced); it was cancelled.
    case stale
    /// Storage failed; the sync was cancelled.
    case storage(String)
}
