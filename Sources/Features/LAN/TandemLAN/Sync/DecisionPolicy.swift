import TandemMerge

/// What the server does with a sync that needs a decision (conflicts, or a tripped large-change gate).
package enum DecisionPolicy: String, Sendable, CaseIterable {
    /// Hold the sync as a pending decision for a person (HTTP API or `tandem lan decide`).
    case ask
    /// Conflicts go to the computer's value; a tripped gate is answered "use computer data".
    case desktopWins = "desktop-wins"
    /// Conflicts go to the phone's value; a tripped gate is answered "use phone data".
    case phoneWins = "phone-wins"

    /// The automatic decision for `result`, nil under `ask`.
    func decision(for result: MergeResult) -> SyncDecision? {
        switch self {
        case .ask: nil
        case .desktopWins: result.largeChange.isTripped ? .useDesktop : .merge(.all(.desktop))
        case .phoneWins: result.largeChange.isTripped ? .usePhone : .merge(.all(.phone))
        }
    }
}
