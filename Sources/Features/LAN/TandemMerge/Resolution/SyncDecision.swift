/// How a pending sync is to finish, as chosen by a person or by server policy.
public enum SyncDecision: Codable, Sendable, Hashable {
    /// Keep the merge, settling its conflicts by `decisions`. Refused while the large-change gate is tripped
    /// unless `allowingLargeChange` is `true`.
    case merge(ConflictDecisions, allowingLargeChange: Bool = false)
    /// "Use phone data": the phone's state replaces the desktop's, unmerged.
    case usePhone
    /// "Use computer data": the desktop's state is sent to the phone in full, unmerged.
    case useDesktop
}

/// Why ``SyncMerge/resolve(_:ancestor:phone:desktop:)`` could not produce a state.
public enum SyncResolutionError: Error, Sendable, Hashable {
    /// These conflicts have no decision.
    case undecidedConflicts([ConflictSubject])
    /// A side trips the large-change gate and the decision did not allow merging anyway.
    case largeChangeNotAllowed(LargeChangeCheck)
}

extension SyncMerge {
    /// The state both devices apply, given the three inputs and a decision; deterministic, so it can be called
    /// after a dialog with the same inputs that produced the pending ``MergeResult``.
    public static func resolve(
        _ decision: SyncDecision,
        ancestor: SyncState?,
        phone: SyncState,
        desktop: SyncState
    ) throws(SyncResolutionError) -> SyncState {
        switch decision {
        case .usePhone:
            return phone
        case .useDesktop:
            return desktop
        case .merge(let decisions, let allowingLargeChange):
            let result = merge(ancestor: ancestor, phone: phone, desktop: desktop, decisions: decisions)
            if result.largeChange.isTripped && !allowingLargeChange {
                throw .largeChangeNotAllowed(result.largeChange)
            }
            guard result.conflicts.isEmpty else {
                throw .undecidedConflicts(result.conflicts.map(\.subject))
            }
            return result.state
        }
    }
}
