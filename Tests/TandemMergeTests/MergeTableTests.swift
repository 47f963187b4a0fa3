import Testing

@testable import TandemMerge

/// One test (or pair) per row of the protocol document's merge table.
@Suite("merge table")
struct MergeTableTests {
    let a = item("a", "milk", at: 1)
    let b = item("b", "eggs", at: 2)

    @Test("item added on the phone only is added")
    func phoneAddition() {
        let added = item("c", "bread", at: 3, updated: 200)
        let result = merge(ancestor: [a], phone: [a, added], desktop: [a])
        #expect(result.items == [a, added])
        #expect(result.conflicts.isEmpty)
    }

    @Test("item added on the desktop only is added")
    func desktopAddition() {
        let added = item("c", "bread", at: 0, updated: 200)
        let result = merge(ancestor: [a], phone: [a], desktop: [added, a])
        #expect(result.items == [added, a])
    }

    @Test("item present and unchanged on both sides is kept")
    func unchangedKept() {
        let result = merge(ancestor: [a, b], phone: [a, b], desktop: [a, b])
        #expect(result.items == [a, b])
        #expect(result.isSettled)
    }

    @Test("phone edits a field, desktop does not: the phone's edit is kept")
    func phoneEditKept() {
        let edited = a.with(text: "oat milk", at: 200)
        #expect(merge(ancestor: [a], phone: [edited], desktop: [a]).items == [edited])
    }

    @Test("desktop edits a field, phone does not: the desktop's edit is kept")
    func desktopEditKept() {
        let edited = a.with(done: true, at: 200)
        #expect(merge(ancestor: [a], phone: [a], desktop: [edited]).items == [edited])
    }

    @Test("an older one-sided edit is still kept: time only matters when both sides changed")
    func olderOneSidedEditKept() {
        let edited = a.with(text: "oat milk", at: 10)
        #expect(merge(ancestor: [a], phone: [a], desktop: [edited]).items == [edited])
    }

    @Test("both sides edit different fields: both edits apply and updatedAt is the newer one")
    func differentFieldsCombine() {
        let phone = a.with(text: "oat milk", at: 300)
        let desktop = a.with(done: true, at: 200)
        let result = merge(ancestor: [a], phone: [phone], desktop: [desktop])
        #expect(result.items == [a.with(text: "oat milk", done: true, at: 300)])
        #expect(result.conflicts.isEmpty)
    }

    @Test("both sides edit the same field, phone later: the phone's value wins")
    func phoneNewerWins() {
        let phone = a.with(text: "phone", at: 300)
        let desktop = a.with(text: "desktop", at: 200)
        #expect(merge(ancestor: [a], phone: [phone], desktop: [desktop]).items == [phone])
    }

    @Test("both sides edit the same field, desktop later: the desktop's value wins")
    func desktopNewerWins() {
        let phone = a.with(done: true, position: 5, at: 200)
        let desktop = a.with(position: 7, at: 300)
        let result = merge(ancestor: [a], phone: [phone], desktop: [desktop])
        #expect(result.items == [a.with(done: true, position: 7, at: 300)])
    }

    @Test("both sides edit the same field at the same moment: a conflict with both values, desktop value pending")
    func sameMomentConflict() {
        let phone = a.with(text: "phone", at: 300)
        let desktop = a.with(text: "desktop", at: 300)
        let result = merge(ancestor: [a], phone: [phone], desktop: [desktop])
        #expect(
            result.conflicts == [
                MergeConflict(
                    subject: .item(group: .lists, slot: 0, id: "a", field: .text),
                    phone: .text("phone"),
                    desktop: .text("desktop"))
            ])
        #expect(result.items == [desktop])
        #expect(!result.isSettled)
    }

    @Test("phone deletes, desktop edits later: deletion wins")
    func phoneDeletionWins() {
        let phone = a.tombstoned(at: 200)
        let desktop = a.with(text: "edited", at: 300)
        let result = merge(ancestor: [a], phone: [phone], desktop: [desktop])
        #expect(result.items.count == 1)
        #expect(result.items[0].isTombstone)
        #expect(result.items[0].deletedAt == 200)
        #expect(result.items[0].updatedAt == 300)
        #expect(result.items[0].text == "edited")
    }

    @Test("desktop deletes, phone edits: deletion wins")
    func desktopDeletionWins() {
        let phone = a.with(done: true, at: 300)
        let desktop = a.tombstoned(at: 200)
        let result = merge(ancestor: [a], phone: [phone], desktop: [desktop])
        #expect(result.items.map(\.isTombstone) == [true])
        #expect(result.items[0].done)
    }

    @Test("phone removes an item without a tombstone, desktop edits it: the removal wins")
    func removalWithoutTombstoneWins() {
        let desktop = a.with(text: "edited", at: 300)
        #expect(merge(ancestor: [a, b], phone: [b], desktop: [desktop, b]).items == [b])
    }

    @Test("item order differs: both moves apply and the result is in position order")
    func orderingsCombine() {
        let c = item("c", at: 3)
        let phone = [a, c, b.with(position: 4, at: 200)]  // b moved to the end
        let desktop = [a.with(position: 2.5, at: 200), b, c]  // a moved between b and c
        let result = merge(ancestor: [a, b, c], phone: phone, desktop: desktop)
        #expect(result.items.map(\.position) == [2.5, 3, 4])
        #expect(result.items.map(\.id) == ["a", "c", "b"])
    }

    @Test("item order differs and two moves land on one position: the list is renumbered 1...N")
    func collidingMovesRenumber() {
        let c = item("c", at: 3)
        let phone = [a, b, c.with(position: 1.5, at: 200)]  // c between a and b
        let desktop = [a, b.with(position: 3.5, at: 200), c]  // b after c
        let both = merge(ancestor: [a, b, c], phone: phone, desktop: desktop)
        #expect(both.items.map(\.position) == [1, 1.5, 3.5])
        let clash = [a, b.with(position: 1.5, at: 200), c]  // b moved to 1.5 as well
        let phoneClash = [a, b, c.with(position: 1.5, at: 200)]
        let result = merge(ancestor: [a, b, c], phone: phoneClash, desktop: clash)
        #expect(result.items.map(\.id) == ["a", "b", "c"])
        #expect(result.items.map(\.position) == [1, 2, 3])
    }
}
