/// The three-way merge of a JotBunker-style `state_sync`: the phone's state, the desktop's (the server's) state and
/// the state both saved after their last successful sync.
///
/// A pure function of its inputs: no clock, no I/O, and the same inputs and decisions always give the same result,
/// so a server can merge, ask someone about the conflicts, and merge again with the answers. It needs no `now`:
/// the merge never stamps anything, because the merged snapshot replaces both devices' state and becomes the
/// next ancestor.
///
/// Rules, per list slot (see `ItemListMerge` and `ItemMerge` for the details):
/// - added on one side: kept; unchanged on a side: the other side's item is taken as is;
/// - both sides changed an item: fields merge one by one, each changed field taken from the side that changed it,
///   the newer `updatedAt` winning where both did; equal times with different values are ``MergeConflict``s;
/// - a deletion wins over any edit, whether a tombstone or (for an item the ancestor held) a plain removal;
/// - tombstones the ancestor already holds are collected;
/// - live items left sharing a position are renumbered 1...N (see `PositionRules`);
/// - items are returned in display order: position, then id.
///
/// Categories and scratchpad slots merge per slot, newer `updatedAt` winning, ties being conflicts.
///
/// What "no item is lost without a tombstone" means here: an id that an input holds in a slot is missing from
/// the merged slot only if (1) the ancestor holds a tombstone for it there, or (2) the ancestor holds it there and
/// at least one side holds nothing with that id there. In every other case the id survives, and it survives as a
/// tombstone exactly when a side holds a tombstone for it.
public enum SyncMerge {
    /// Merges `phone` and `desktop` against `ancestor`; a `nil` ancestor (first sync) merges as the union.
    ///
    /// - Parameter decisions: settles conflicts by subject; conflicts it leaves open are returned in the result
    ///   with the desktop value in place.
    public static func merge(
        ancestor: SyncState?,
        phone: SyncState,
        desktop: SyncState,
        decisions: ConflictDecisions = .none
    ) -> MergeResult {
        let base = ancestor ?? SyncState()
        var log = ConflictLog(decisions: decisions)
        var merged = SyncState()
        for group in ListGroup.allCases {
            merged[group] = mergeSlots(
                ancestor: base[group], phone: phone[group], desktop: desktop[group], group: group, log: &log)
        }
        merged.listsCategories = SlotMerge.merge(
            ancestor: base.listsCategories, phone: phone.listsCategories, desktop: desktop.listsCategories,
            kind: .listsCategories, log: &log, wrap: ConflictValue.category)
        merged.lockedListsCategories = SlotMerge.merge(
            ancestor: base.lockedListsCategories, phone: phone.lockedListsCategories,
            desktop: desktop.lockedListsCategories, kind: .lockedListsCategories, log: &log,
            wrap: ConflictValue.category)
        merged.scratchpad = SlotMerge.mergeOptional(
            ancestor: base.scratchpad, phone: phone.scratchpad, desktop: desktop.scratchpad, kind: .scratchpad,
            log: &log, wrap: ConflictValue.scratchpad)
        merged.scratchpadCategories = SlotMerge.mergeOptional(
            ancestor: base.scratchpadCategories, phone: phone.scratchpadCategories,
            desktop: desktop.scratchpadCategories, kind: .scratchpadCategories, log: &log,
            wrap: ConflictValue.category)
        return MergeResult(
            state: merged,
            conflicts: log.pending,
            largeChange: LargeChangeCheck(ancestor: ancestor, phone: phone, desktop: desktop)
        )
    }

    /// Merges every slot of one group; the result has as many slots as the longer side.
    private static func mergeSlots(
        ancestor: [[SyncItem]],
        phone: [[SyncItem]],
        desktop: [[SyncItem]],
        group: ListGroup,
        log: inout ConflictLog
    ) -> [[SyncItem]] {
        (0..<max(phone.count, desktop.count)).map { slot in
            ItemListMerge.merge(
                ancestor: slot < ancestor.count ? ancestor[slot] : [],
                phone: slot < phone.count ? phone[slot] : [],
                desktop: slot < desktop.count ? desktop[slot] : [],
                at: ItemLocation(group: group, slot: slot),
                log: &log
            )
        }
    }
}
