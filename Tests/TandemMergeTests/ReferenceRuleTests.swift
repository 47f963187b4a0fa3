import Testing

@testable import TandemMerge

/// The reference rules beyond the document's table: ancestor handling, tombstones, positions, field details.
@Suite("reference rules")
struct ReferenceRuleTests {
    let a = item("a", "milk", at: 1)
    let b = item("b", "eggs", at: 2)

    @Test("both sides make the same change at the same moment: no conflict")
    func identicalChangesAgree() {
        let edited = a.with(text: "same", at: 300)
        let result = merge(ancestor: [a], phone: [edited], desktop: [edited])
        #expect(result.items == [edited])
        #expect(result.conflicts.isEmpty)
    }

    @Test("several fields tied at one moment: one conflict per tied field, in field order")
    func conflictPerField() {
        let phone = a.with(text: "p", done: true, position: 4, at: 300)
        let desktop = a.with(text: "d", position: 5, at: 300)
        let result = merge(ancestor: [a], phone: [phone], desktop: [desktop])
        #expect(
            result.conflicts.map(\.subject) == [
                .item(group: .lists, slot: 0, id: "a", field: .text),
                .item(group: .lists, slot: 0, id: "a", field: .position),
            ])
        #expect(result.conflicts.last?.phone == .position(4))
        #expect(result.conflicts.last?.desktop == .position(5))
        #expect(result.items == [a.with(text: "d", done: true, position: 5, at: 300)])
    }

    @Test("an item in the ancestor and on neither side is dropped")
    func removedOnBothSides() {
        #expect(merge(ancestor: [a, b], phone: [b], desktop: [b]).items == [b])
    }

    @Test("no ancestor: the result is the union of both sides")
    func nullAncestorUnion() {
        let result = merge(ancestor: nil, phone: [a], desktop: [b])
        #expect(result.items == [a, b])
        #expect(!result.largeChange.isTripped)
    }

    @Test("no ancestor, item on both sides: the phone's item stands in as ancestor, so the desktop's fields win")
    func nullAncestorPhoneAsBase() {
        let phone = a.with(text: "phone", at: 900)
        let desktop = a.with(done: true, at: 100)
        let result = merge(ancestor: nil, phone: [phone], desktop: [desktop])
        #expect(result.items == [a.with(done: true, at: 900)])
        #expect(result.conflicts.isEmpty)
    }

    @Test("no ancestor, phone holds a tombstone: deletion still wins")
    func nullAncestorDeletionWins() {
        let result = merge(ancestor: nil, phone: [a.tombstoned(at: 50)], desktop: [a.with(text: "x", at: 200)])
        #expect(result.items.map(\.isTombstone) == [true])
        #expect(result.items[0].text == "x")
    }

    @Test("no ancestor: tombstones are kept, not collected")
    func nullAncestorKeepsTombstones() {
        let gone = a.tombstoned(at: 200)
        #expect(merge(ancestor: nil, phone: [gone], desktop: []).items == [gone])
    }

    @Test("a tombstone the ancestor lacks is kept so the other device learns of the deletion")
    func newTombstoneKept() {
        let gone = a.tombstoned(at: 200)
        #expect(merge(ancestor: [a, b], phone: [gone, b], desktop: [a, b]).items == [gone, b])
    }

    @Test("a tombstone the ancestor holds is collected, even if a side still sends it")
    func tombstoneCollected() {
        let gone = a.tombstoned(at: 200)
        #expect(merge(ancestor: [gone, b], phone: [gone, b], desktop: [b]).items == [b])
        #expect(merge(ancestor: [gone, b], phone: [gone, b], desktop: [gone, b]).items == [b])
    }

    @Test("a tombstone the ancestor holds beats a live copy on a side")
    func collectedTombstoneBeatsLiveCopy() {
        let gone = a.tombstoned(at: 200)
        #expect(merge(ancestor: [gone], phone: [gone], desktop: [a.with(text: "back", at: 300)]).items == [])
    }

    @Test("both sides delete: one tombstone with the later deletedAt")
    func bothDelete() {
        let result = merge(ancestor: [a], phone: [a.tombstoned(at: 200)], desktop: [a.tombstoned(at: 300)])
        #expect(result.items == [a.tombstoned(at: 300)])
    }

    @Test("field ties on an item that ends up deleted are not conflicts and ignore decisions and sides")
    func noConflictOnTombstone() {
        let phone = a.with(text: "p", at: 300).tombstoned(at: 300)
        let desktop = a.with(text: "d", at: 300)
        let result = merge(ancestor: [a], phone: [phone], desktop: [desktop])
        #expect(result.conflicts.isEmpty)
        #expect(result.items.map(\.isTombstone) == [true])
        #expect(result.items.first?.text == "p")  // the greater text, whichever side holds it
        let decided = merge(ancestor: [a], phone: [phone], desktop: [desktop], decisions: .all(.desktop))
        #expect(decided.items == result.items)
        let swapped = merge(ancestor: [a], phone: [desktop], desktop: [phone])
        #expect(swapped.items == result.items)
    }

    @Test("createdAt never conflicts: the earlier one is kept when both changed it")
    func createdAtEarlier() {
        var phone = a.with(text: "p", at: 300)
        phone.createdAt = 30
        var desktop = a.with(done: true, at: 200)
        desktop.createdAt = 40
        #expect(merge(ancestor: [a], phone: [phone], desktop: [desktop]).items.first?.createdAt == 30)
    }

    @Test("an explicit deleted: false is kept as sent")
    func explicitLiveFlagKept() {
        var phone = a.with(text: "p", at: 300)
        phone.deleted = false
        let desktop = a.with(done: true, at: 200)
        let merged = merge(ancestor: [a], phone: [phone], desktop: [desktop]).items
        #expect(merged.first?.deleted == false)
    }

    @Test("fractional positions without a collision are kept as they are")
    func fractionalPositionsKept() {
        let c = item("c", at: 1.25, updated: 200)
        let d = item("d", at: 1.75, updated: 200)
        let result = merge(ancestor: [a, b], phone: [a, c, b], desktop: [a, d, b])
        #expect(result.items.map(\.position) == [1, 1.25, 1.75, 2])
        #expect(result.items.map(\.id) == ["a", "c", "d", "b"])
    }

    @Test("items added on both sides at the same position: renumbered 1...N, ordered by id")
    func concurrentInsertsRenumber() {
        let phoneNew = item("z", at: 0, updated: 200)
        let desktopNew = item("m", at: 0, updated: 200)
        let result = merge(ancestor: [a, b], phone: [phoneNew, a, b], desktop: [desktopNew, a, b])
        #expect(result.items.map(\.id) == ["m", "z", "a", "b"])
        #expect(result.items.map(\.position) == [1, 2, 3, 4])
    }

    @Test("renumbering skips tombstones, which keep their positions")
    func renumberSkipsTombstones() {
        let gone = item("g", at: 1.5).tombstoned(at: 200)
        let x = item("x", at: 1.5, updated: 200)
        let y = item("y", at: 1.5, updated: 200)
        let result = merge(ancestor: [a, b], phone: [a, gone, x, b], desktop: [a, y, b])
        #expect(result.items.filter { !$0.isTombstone }.map(\.position) == [1, 2, 3, 4])
        #expect(result.items.first { $0.id == "g" }?.position == 1.5)
    }

    @Test("the same id in two slots merges as two unrelated items")
    func idsScopedToSlot() {
        let ancestor = SyncState(lists: [[a], []])
        let phone = SyncState(lists: [[a.with(text: "p", at: 200)], [a]])
        let desktop = SyncState(lists: [[], []])
        let result = SyncMerge.merge(ancestor: ancestor, phone: phone, desktop: desktop)
        #expect(result.state.lists == [[], [a]])
    }

    @Test("locked lists merge exactly like lists")
    func lockedListsMerge() {
        let phone = a.with(text: "p", at: 300)
        let desktop = a.with(text: "d", at: 300)
        let result = SyncMerge.merge(
            ancestor: SyncState(lockedLists: [[a, b]]),
            phone: SyncState(lockedLists: [[phone, b]]),
            desktop: SyncState(lockedLists: [[desktop]]))
        #expect(result.state.lockedLists == [[desktop]])
        #expect(result.conflicts.map(\.subject) == [.item(group: .lockedLists, slot: 0, id: "a", field: .text)])
    }

    @Test("slots beyond one side's count come from the other side")
    func unevenSlotCounts() {
        let result = SyncMerge.merge(
            ancestor: nil, phone: SyncState(lists: [[a]]), desktop: SyncState(lists: [[], [b]]))
        #expect(result.state.lists == [[a], [b]])
    }

    @Test("an id sent twice in one slot counts once, by its first occurrence")
    func duplicateIDFirstWins() {
        let copy = a.with(text: "copy", at: 300)
        #expect(merge(ancestor: nil, phone: [a, copy], desktop: []).items == [a])
    }

    @Test("output is in position order then id, whatever order the sides sent")
    func outputOrdered() {
        let x = item("x", at: 2)
        let result = merge(ancestor: nil, phone: [b, x], desktop: [a])
        #expect(result.items.map(\.id) == ["a", "b", "x"])
        let collide = merge(ancestor: nil, phone: [x], desktop: [b])
        #expect(collide.items.map(\.id) == ["b", "x"])
        #expect(collide.items.map(\.position) == [1, 2])
    }
}
