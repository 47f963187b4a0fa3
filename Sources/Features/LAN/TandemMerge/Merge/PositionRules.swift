/// Ordering and collision handling for the fractional `position` sort key.
///
/// Devices place a new or moved item at a fractional position between its neighbours, and the merge keeps those
/// positions as they are. Two live items of one list may end up at the same position after a merge (say both
/// devices dropped a different item between the same two neighbours); the order would then hang on ids alone and
/// the next move between them would have no room. So when any two live items of a merged list share a position,
/// every live item of that list is renumbered 1...N in display order. Tombstones keep their positions: nothing
/// shows them, and they are collected at the next sync.
enum PositionRules {
    /// Items in display order: ascending position, then ascending id.
    static func ordered(_ items: [SyncItem]) -> [SyncItem] {
        items.sorted(by: precedes)
    }

    /// The display order of two items.
    static func precedes(_ a: SyncItem, _ b: SyncItem) -> Bool {
        a.position != b.position ? a.position < b.position : a.id < b.id
    }

    /// `items` in display order, with live items renumbered 1...N if any two of them share a position.
    static func resolvingCollisions(_ items: [SyncItem]) -> [SyncItem] {
        var ordered = ordered(items)
        let live = ordered.indices.filter { !ordered[$0].isTombstone }
        let collides = zip(live, live.dropFirst()).contains { ordered[$0].position == ordered[$1].position }
        guard collides else { return ordered }
        for (rank, index) in live.enumerated() {
            ordered[index].position = Double(rank + 1)
        }
        return self.ordered(ordered)
    }
}
