/// Where an item lives: its group and slot. Item ids are matched within one slot only.
struct ItemLocation {
    let group: ListGroup
    let slot: Int
}

enum ItemMerge {
    /// Merges one item present on both sides.
    ///
    /// - A side whose item equals the ancestor's did nothing: the other side's item is taken unchanged.
    /// - Otherwise fields merge one by one: `text`, `done` and `position` by ``ValuePick``, ties becoming conflicts;
    ///   `updatedAt` is the newer of the two.
    /// - Deletion wins: if either side is a tombstone, so is the result, with no conflict and whatever the times.
    ///   Its `deletedAt` is the later of the tombstones' `deletedAt`. Field ties on a tombstone are not reported,
    ///   since nobody sees a deleted item, and are settled so that the sides are treated alike and no decision
    ///   changes them: the greater `text`, `done` if either side is, the greater `position`.
    /// - `createdAt` never conflicts: a one-sided change is kept, otherwise the earlier value.
    /// - Without an ancestor the phone's item stands in for it (so the desktop's differing fields are kept),
    ///   except that a phone tombstone still wins.
    static func merge(
        ancestor: SyncItem?,
        phone: SyncItem,
        desktop: SyncItem,
        at location: ItemLocation,
        log: inout ConflictLog
    ) -> SyncItem {
        if phone == desktop { return phone }
        if let ancestor {
            if phone == ancestor { return desktop }
            if desktop == ancestor { return phone }
        }
        let base = ancestor ?? phone
        let tombstone = phone.isTombstone || desktop.isTombstone
        func field<Value: Equatable>(
            _ key: KeyPath<SyncItem, Value>,
            _ name: ItemField,
            _ wrap: (Value) -> ConflictValue,
            tombstoneTie: (Value, Value) -> Value
        ) -> Value {
            let pick = ValuePick.pick(
                ancestor: base[keyPath: key],
                phone: phone[keyPath: key],
                desktop: desktop[keyPath: key],
                phoneTime: phone.updatedAt,
                desktopTime: desktop.updatedAt
            )
            let subject = ConflictSubject.item(group: location.group, slot: location.slot, id: phone.id, field: name)
            if tombstone, case .tie = pick {
                return tombstoneTie(phone[keyPath: key], desktop[keyPath: key])
            }
            return log.settle(
                pick, phone: phone[keyPath: key], desktop: desktop[keyPath: key], subject: subject, wrap: wrap)
        }

        var merged = base
        merged.text = field(\.text, .text, ConflictValue.text) { Swift.max($0, $1) }
        merged.done = field(\.done, .done, ConflictValue.done) { $0 || $1 }
        merged.position = field(\.position, .position, ConflictValue.position) { Swift.max($0, $1) }
        merged.createdAt = quietPick(base.createdAt, phone.createdAt, desktop.createdAt, tie: { Swift.min($0, $1) })
        merged.updatedAt = max(phone.updatedAt, desktop.updatedAt)
        if tombstone {
            merged.deleted = true
            merged.deletedAt = [phone, desktop].filter(\.isTombstone).compactMap(\.deletedAt).max()
        } else {
            merged.deleted = quietPick(base.deleted, phone.deleted, desktop.deleted, tie: { _, desktop in desktop })
            merged.deletedAt = quietPick(base.deletedAt, phone.deletedAt, desktop.deletedAt, tie: laterOf)
        }
        return merged
    }

    /// A three-way pick for fields that never conflict: one-sided changes are kept, otherwise `tie` decides.
    private static func quietPick<Value: Equatable>(
        _ ancestor: Value,
        _ phone: Value,
        _ desktop: Value,
        tie: (Value, Value) -> Value
    ) -> Value {
        if phone == desktop || desktop == ancestor { return phone }
        if phone == ancestor { return desktop }
        return tie(phone, desktop)
    }

    private static func laterOf(_ a: Milliseconds?, _ b: Milliseconds?) -> Milliseconds? {
        [a, b].compactMap { $0 }.max()
    }
}
