import Testing

@testable import TandemMerge

@Suite("large-change gate")
struct LargeChangeTests {
    /// Five live items spread over a list and a locked list.
    let ancestor = SyncState(
        lists: [[item("a"), item("b", at: 2)], [item("c")]],
        lockedLists: [[item("d"), item("e", at: 2)]])

    func keeping(_ ids: Set<String>, tombstoning tombstoned: Set<String> = []) -> SyncState {
        var state = ancestor
        for group in ListGroup.allCases {
            state[group] = state[group].map { slot in
                slot.compactMap { item in
                    if tombstoned.contains(item.id) { return item.tombstoned(at: 200) }
                    return ids.contains(item.id) ? item : nil
                }
            }
        }
        return state
    }

    @Test("phone missing every remembered item without tombstones trips the gate for the phone only")
    func wipedPhone() {
        let check = SyncMerge.merge(ancestor: ancestor, phone: SyncState(), desktop: ancestor).largeChange
        #expect(check == LargeChangeCheck(ancestorItemCount: 5, phoneMissingCount: 5, desktopMissingCount: 0))
        #expect(check.isTripped(by: .phone))
        #expect(!check.isTripped(by: .desktop))
    }

    @Test("missing exactly 80 % trips the gate; 60 % does not")
    func threshold() {
        let eighty = LargeChangeCheck(ancestor: ancestor, phone: ancestor, desktop: keeping(["a"]))
        #expect(eighty.desktopMissingCount == 4)
        #expect(eighty.isTripped(by: .desktop))
        let sixty = LargeChangeCheck(ancestor: ancestor, phone: ancestor, desktop: keeping(["a", "d"]))
        #expect(!sixty.isTripped)
    }

    @Test("items deleted with tombstones are not missing")
    func tombstonesAreNotMissing() {
        let desktop = keeping([], tombstoning: ["a", "b", "c", "d", "e"])
        let result = SyncMerge.merge(ancestor: ancestor, phone: ancestor, desktop: desktop)
        #expect(!result.largeChange.isTripped)
        #expect(result.isSettled)
    }

    @Test("an item moved to another slot counts as missing")
    func slotMatters() {
        let moved = SyncState(lists: [[item("c")], [item("a"), item("b", at: 2)]], lockedLists: [[], [item("d")]])
        let check = LargeChangeCheck(ancestor: ancestor, phone: moved, desktop: ancestor)
        #expect(check.phoneMissingCount == 5)
    }

    @Test("the ancestor's own tombstones are not counted")
    func ancestorTombstonesIgnored() {
        let withTombstones = SyncState(lists: [[item("a"), item("x").tombstoned(at: 90)]])
        let check = LargeChangeCheck(ancestor: withTombstones, phone: SyncState(), desktop: withTombstones)
        #expect(check.ancestorItemCount == 1)
        #expect(check.isTripped(by: .phone))
    }

    @Test("no ancestor or an empty one never trips the gate")
    func noAncestor() {
        #expect(!LargeChangeCheck(ancestor: nil, phone: SyncState(), desktop: ancestor).isTripped)
        #expect(!LargeChangeCheck(ancestor: SyncState(), phone: SyncState(), desktop: ancestor).isTripped)
    }

    @Test("the merged state of a tripped sync still drops what the wiped side lacks, awaiting a decision")
    func trippedStateIsProvisional() {
        let result = SyncMerge.merge(ancestor: ancestor, phone: SyncState(), desktop: ancestor)
        #expect(result.state.lists.allSatisfy { $0.isEmpty })
        #expect(!result.isSettled)
    }
}
