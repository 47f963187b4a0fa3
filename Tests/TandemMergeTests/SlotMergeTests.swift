import Testing

@testable import TandemMerge

@Suite("categories and scratchpad")
struct SlotMergeTests {
    let groceries = SyncCategory(label: "Groceries", section: "home", updatedAt: 100)
    let note = ScratchpadEntry(content: "call Ann", updatedAt: 100)

    func categories(_ values: [SyncCategory]) -> SyncState {
        SyncState(listsCategories: values)
    }

    @Test("a category renamed on one side only: the rename is kept")
    func oneSidedRename() {
        let renamed = SyncCategory(label: "Food", section: "home", updatedAt: 50)
        let result = SyncMerge.merge(
            ancestor: categories([groceries]), phone: categories([groceries]), desktop: categories([renamed]))
        #expect(result.state.listsCategories == [renamed])
    }

    @Test("a category changed on both sides: the newer one wins")
    func newerCategoryWins() {
        let phone = SyncCategory(label: "Food", section: "home", updatedAt: 300)
        let desktop = SyncCategory(label: "Shop", section: "work", updatedAt: 200)
        let result = SyncMerge.merge(
            ancestor: categories([groceries]), phone: categories([phone]), desktop: categories([desktop]))
        #expect(result.state.listsCategories == [phone])
    }

    @Test("a category changed on both sides at the same moment: a conflict for that slot")
    func categoryTie() {
        let phone = SyncCategory(label: "Food", section: "home", updatedAt: 300)
        let desktop = SyncCategory(label: "Shop", section: "home", updatedAt: 300)
        let result = SyncMerge.merge(
            ancestor: SyncState(lockedListsCategories: [groceries, groceries]),
            phone: SyncState(lockedListsCategories: [groceries, phone]),
            desktop: SyncState(lockedListsCategories: [groceries, desktop]))
        #expect(
            result.conflicts == [
                MergeConflict(
                    subject: .slot(kind: .lockedListsCategories, slot: 1), phone: .category(phone),
                    desktop: .category(desktop))
            ])
        #expect(result.state.lockedListsCategories == [groceries, desktop])
    }

    @Test("categories without an ancestor: the newer one wins per slot")
    func categoriesWithoutAncestor() {
        let older = SyncCategory(label: "Old", section: "", updatedAt: 10)
        let result = SyncMerge.merge(
            ancestor: nil, phone: categories([older, groceries]), desktop: categories([groceries, older]))
        #expect(result.state.listsCategories == [groceries, groceries])
    }

    @Test("a category slot only one side has is kept")
    func extraCategorySlot() {
        let result = SyncMerge.merge(
            ancestor: nil, phone: categories([groceries]), desktop: categories([groceries, groceries]))
        #expect(result.state.listsCategories == [groceries, groceries])
    }

    @Test("scratchpad edited on both sides: newer wins; at the same moment: a conflict")
    func scratchpadSlots() {
        let phone = ScratchpadEntry(content: "call Bob", updatedAt: 300)
        let desktop = ScratchpadEntry(content: "call Cy", updatedAt: 300)
        let later = ScratchpadEntry(content: "call Di", updatedAt: 400)
        let result = SyncMerge.merge(
            ancestor: SyncState(scratchpad: [note, note]),
            phone: SyncState(scratchpad: [phone, phone]),
            desktop: SyncState(scratchpad: [desktop, later]))
        #expect(result.state.scratchpad == [desktop, later])
        #expect(result.conflicts.map(\.subject) == [.slot(kind: .scratchpad, slot: 0)])
    }

    @Test("a side that sends no scratchpad takes the other side's; neither sending it leaves it absent")
    func absentScratchpad() {
        let sent = SyncState(scratchpad: [note], scratchpadCategories: [groceries])
        let result = SyncMerge.merge(ancestor: sent, phone: SyncState(), desktop: sent)
        #expect(result.state.scratchpad == [note])
        #expect(result.state.scratchpadCategories == [groceries])
        let none = SyncMerge.merge(ancestor: sent, phone: SyncState(), desktop: SyncState())
        #expect(none.state.scratchpad == nil)
        #expect(none.state.scratchpadCategories == nil)
    }

    @Test("scratchpad categories merge per slot like list categories")
    func scratchpadCategories() {
        let renamed = SyncCategory(label: "Ideas", section: "", updatedAt: 200)
        let result = SyncMerge.merge(
            ancestor: SyncState(scratchpadCategories: [groceries]),
            phone: SyncState(scratchpadCategories: [renamed]),
            desktop: SyncState(scratchpadCategories: [groceries]))
        #expect(result.state.scratchpadCategories == [renamed])
    }
}
