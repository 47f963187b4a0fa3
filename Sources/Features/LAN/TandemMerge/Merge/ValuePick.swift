/// The outcome of merging one value three ways.
enum ThreeWayPick<Value> {
    case resolved(Value)
    /// Both sides changed the value differently and their `updatedAt` are equal.
    case tie
}

enum ValuePick {
    /// Picks one value from two sides and their common ancestor.
    ///
    /// Equal sides agree; a side equal to the ancestor did nothing, so the other side's change is kept; when both
    /// changed, the side with the newer `updatedAt` wins. A missing ancestor counts as both sides having changed.
    static func pick<Value: Equatable>(
        ancestor: Value?,
        phone: Value,
        desktop: Value,
        phoneTime: Milliseconds,
        desktopTime: Milliseconds
    ) -> ThreeWayPick<Value> {
        if phone == desktop { return .resolved(phone) }
        if phone == ancestor { return .resolved(desktop) }
        if desktop == ancestor { return .resolved(phone) }
        if phoneTime > desktopTime { return .resolved(phone) }
        if desktopTime > phoneTime { return .resolved(desktop) }
        return .tie
    }
}

/// Settles ties with the caller's decisions and records the rest as pending conflicts.
struct ConflictLog {
    let decisions: ConflictDecisions
    private(set) var pending: [MergeConflict] = []

    init(decisions: ConflictDecisions) {
        self.decisions = decisions
    }

    /// The value to use for `pick`. An undecided tie keeps the desktop value provisionally, since the server's
    /// state is what stands until someone chooses.
    mutating func settle<Value>(
        _ pick: ThreeWayPick<Value>,
        phone: Value,
        desktop: Value,
        subject: ConflictSubject,
        wrap: (Value) -> ConflictValue
    ) -> Value {
        switch pick {
        case .resolved(let value):
            return value
        case .tie:
            switch decisions.side(for: subject) {
            case .phone:
                return phone
            case .desktop:
                return desktop
            case nil:
                pending.append(MergeConflict(subject: subject, phone: wrap(phone), desktop: wrap(desktop)))
                return desktop
            }
        }
    }
}
