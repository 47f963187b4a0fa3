/// A per-slot value that carries its own modification time.
protocol SlotValue: Equatable {
    var updatedAt: Milliseconds { get }
}

extension SyncCategory: SlotValue {}
extension ScratchpadEntry: SlotValue {}

enum SlotMerge {
    /// Merges category or scratchpad slots index by index, each slot as one value.
    ///
    /// A slot present on one side only is kept; otherwise ``ValuePick`` decides (newer `updatedAt` wins, a tie
    /// between different values is a conflict). The result has as many slots as the longer side.
    static func merge<Value: SlotValue>(
        ancestor: [Value],
        phone: [Value],
        desktop: [Value],
        kind: SlotKind,
        log: inout ConflictLog,
        wrap: (Value) -> ConflictValue
    ) -> [Value] {
        (0..<max(phone.count, desktop.count)).map { slot in
            guard slot < phone.count else { return desktop[slot] }
            guard slot < desktop.count else { return phone[slot] }
            let (phoneValue, desktopValue) = (phone[slot], desktop[slot])
            let pick = ValuePick.pick(
                ancestor: slot < ancestor.count ? ancestor[slot] : nil,
                phone: phoneValue,
                desktop: desktopValue,
                phoneTime: phoneValue.updatedAt,
                desktopTime: desktopValue.updatedAt
            )
            return log.settle(
                pick, phone: phoneValue, desktop: desktopValue, subject: .slot(kind: kind, slot: slot), wrap: wrap)
        }
    }

    /// As ``merge(ancestor:phone:desktop:kind:log:wrap:)`` for optional wire fields: a side that did not send
    /// the field contributes nothing, and the result is absent only when neither side sent it.
    static func mergeOptional<Value: SlotValue>(
        ancestor: [Value]?,
        phone: [Value]?,
        desktop: [Value]?,
        kind: SlotKind,
        log: inout ConflictLog,
        wrap: (Value) -> ConflictValue
    ) -> [Value]? {
        guard let phone else { return desktop }
        guard let desktop else { return phone }
        return merge(ancestor: ancestor ?? [], phone: phone, desktop: desktop, kind: kind, log: &log, wrap: wrap)
    }
}
