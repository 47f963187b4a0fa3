/// Which side wins each conflict: per subject, with an optional side for every subject not listed.
public struct ConflictDecisions: Codable, Sendable, Hashable {
    public var choices: [ConflictSubject: SyncSide]
    /// Used for any conflict without its own choice; `nil` leaves such conflicts pending.
    public var otherwise: SyncSide?

    public init(_ choices: [ConflictSubject: SyncSide] = [:], otherwise: SyncSide? = nil) {
        self.choices = choices
        self.otherwise = otherwise
    }

    /// No decisions: every conflict stays pending.
    public static let none = ConflictDecisions()

    /// One side wins every conflict of the sync (the `phone-wins` / `desktop-wins` modes).
    public static func all(_ side: SyncSide) -> ConflictDecisions {
        ConflictDecisions(otherwise: side)
    }

    /// The winning side for `subject`, if decided.
    public func side(for subject: ConflictSubject) -> SyncSide? {
        choices[subject] ?? otherwise
    }
}
