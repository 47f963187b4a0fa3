/// The "large change" gate: a side missing most of what the last sync left, with no deletion markers, was
/// probably wiped or reinstalled rather than edited, so a merge would silently delete everything it lacks.
///
/// The ancestor's items are its live items over every slot of `lists` and `lockedLists`. A side misses one when
/// it holds no item with that id in the same slot, neither live nor as a tombstone. A side trips the gate when the
/// ancestor has at least one item and the side misses at least 80 % of them. Without an ancestor nothing trips.
public struct LargeChangeCheck: Codable, Sendable, Hashable {
    /// Live items in the ancestor.
    public let ancestorItemCount: Int
    public let phoneMissingCount: Int
    public let desktopMissingCount: Int

    public init(ancestorItemCount: Int, phoneMissingCount: Int, desktopMissingCount: Int) {
        self.ancestorItemCount = ancestorItemCount
        self.phoneMissingCount = phoneMissingCount
        self.desktopMissingCount = desktopMissingCount
    }

    /// Measures both sides against `ancestor`.
    public init(ancestor: SyncState?, phone: SyncState, desktop: SyncState) {
        guard let ancestor else {
            self.init(ancestorItemCount: 0, phoneMissingCount: 0, desktopMissingCount: 0)
            return
        }
        var total = 0
        var missing = (phone: 0, desktop: 0)
        for group in ListGroup.allCases {
            for (slot, items) in ancestor[group].enumerated() {
                let phoneIDs = Self.ids(in: phone[group], slot: slot)
                let desktopIDs = Self.ids(in: desktop[group], slot: slot)
                for item in items where !item.isTombstone {
                    total += 1
                    if !phoneIDs.contains(item.id) { missing.phone += 1 }
                    if !desktopIDs.contains(item.id) { missing.desktop += 1 }
                }
            }
        }
        self.init(ancestorItemCount: total, phoneMissingCount: missing.phone, desktopMissingCount: missing.desktop)
    }

    /// Whether `side` misses at least 80 % of the ancestor's items.
    public func isTripped(by side: SyncSide) -> Bool {
        let missing =
            switch side {
            case .phone: phoneMissingCount
            case .desktop: desktopMissingCount
            }
        return ancestorItemCount > 0 && missing * 5 >= ancestorItemCount * 4
    }

    /// Whether either side trips the gate.
    public var isTripped: Bool { isTripped(by: .phone) || isTripped(by: .desktop) }

    private static func ids(in slots: [[SyncItem]], slot: Int) -> Set<String> {
        slot < slots.count ? Set(slots[slot].map(\.id)) : []
    }
}
