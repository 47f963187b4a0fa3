enum ItemListMerge {
    /// Merges one list slot; ids are matched within the slot.
    ///
    /// Per id, over the union of both sides:
    /// - the ancestor holds a tombstone: the id is collected (dropped), whatever the sides hold, since both devices
    ///   have already seen the deletion;
    /// - the ancestor holds it and a side lacks it: that side removed it without a tombstone; the removal wins and
    ///   the id is dropped (the large-change gate reports when this happens wholesale);
    /// - only one side holds it and the ancestor does not: it was added there and is kept as sent;
    /// - both sides hold it: ``ItemMerge`` decides.
    ///
    /// If a side holds the same id twice, its first occurrence counts.
    static func merge(
        ancestor: [SyncItem],
        phone: [SyncItem],
        desktop: [SyncItem],
        at location: ItemLocation,
        log: inout ConflictLog
    ) -> [SyncItem] {
        let ancestorByID = index(ancestor)
        let phoneByID = index(phone)
        let desktopByID = index(desktop)
        let ids = Set(phoneByID.keys).union(desktopByID.keys).sorted()

        var merged: [SyncItem] = []
        merged.reserveCapacity(ids.count)
        for id in ids {
            let base = ancestorByID[id]
            if base?.isTombstone == true { continue }
            switch (phoneByID[id], desktopByID[id]) {
            case (let phoneItem?, let desktopItem?):
                merged.append(
                    ItemMerge.merge(
                        ancestor: base, phone: phoneItem, desktop: desktopItem, at: location, log: &log))
            case (let only?, nil), (nil, let only?):
                if base == nil { merged.append(only) }
            case (nil, nil):
                continue
            }
        }
        return PositionRules.resolvingCollisions(merged)
    }

    private static func index(_ items: [SyncItem]) -> [String: SyncItem] {
        Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
