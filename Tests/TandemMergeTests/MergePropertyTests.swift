import PropertyBased
import Testing

@testable import TandemMerge

@Suite("merge properties")
struct MergePropertyTests {
    @Test("merging a state with itself gives that state, less the tombstones it already held")
    func mergeOfIdenticalStates() async {
        await propertyCheck(count: 500, input: Scenario.generator) { scenario in
            for state in [scenario.base, scenario.phone, scenario.desktop] {
                let result = SyncMerge.merge(ancestor: state, phone: state, desktop: state)
                #expect(result.state == state.collecting(against: state))
                #expect(result.isSettled)
            }
        }
    }

    @Test("a tombstone-free state merged with itself is exactly that state")
    func mergeOfIdenticalLiveStates() async {
        await propertyCheck(count: 200, input: Scenario.generator) { scenario in
            let live = scenario.phone.collecting(against: scenario.phone)
            #expect(SyncMerge.merge(ancestor: live, phone: live, desktop: live).state == live)
        }
    }

    @Test("a phone that did nothing takes the desktop's state, less tombstones the ancestor held")
    func idlePhoneTakesDesktop() async {
        await propertyCheck(count: 500, input: Scenario.generator) { scenario in
            let base = scenario.base
            let result = SyncMerge.merge(ancestor: base, phone: base, desktop: scenario.desktop)
            #expect(result.state == scenario.desktop.collecting(against: base))
            #expect(result.conflicts.isEmpty)
        }
    }

    @Test("a desktop that did nothing takes the phone's state, less tombstones the ancestor held")
    func idleDesktopTakesPhone() async {
        await propertyCheck(count: 500, input: Scenario.generator) { scenario in
            let base = scenario.base
            let result = SyncMerge.merge(ancestor: base, phone: scenario.phone, desktop: base)
            #expect(result.state == scenario.phone.collecting(against: base))
            #expect(result.conflicts.isEmpty)
        }
    }

    /// The precise statement of "no item is lost without a tombstone" from ``SyncMerge``, both ways: an id held in
    /// a slot by any input is absent from the merged slot if and only if the ancestor holds a tombstone for it
    /// there, or the ancestor holds it there and a side does not; and a surviving id is a tombstone if and only if
    /// a side holds a tombstone for it.
    @Test("no item is lost without a tombstone or an ancestor-backed removal, and deletions are never undone")
    func noItemLost() async {
        await propertyCheck(count: 500, input: Scenario.generator) { scenario in
            let ancestor = scenario.ancestor ?? SyncState()
            let result = SyncMerge.merge(
                ancestor: scenario.ancestor, phone: scenario.phone, desktop: scenario.desktop)
            for group in ListGroup.allCases {
                for slot in 0..<2 {
                    let a = byID(ancestor[group], slot)
                    let p = byID(scenario.phone[group], slot)
                    let d = byID(scenario.desktop[group], slot)
                    let merged = byID(result.state[group], slot)
                    for id in Set(a.keys).union(p.keys).union(d.keys) {
                        let collected = a[id]?.isTombstone == true
                        let removed = a[id] != nil && (p[id] == nil || d[id] == nil)
                        #expect((merged[id] == nil) == (collected || removed), "\(group)[\(slot)] \(id)")
                        if let survivor = merged[id] {
                            let tombstoned = p[id]?.isTombstone == true || d[id]?.isTombstone == true
                            #expect(survivor.isTombstone == tombstoned, "\(group)[\(slot)] \(id)")
                        }
                    }
                    #expect(Set(merged.keys).isSubset(of: Set(p.keys).union(d.keys)))
                }
            }
        }
    }

    @Test("merging the result again against the same ancestor changes nothing")
    func mergeIsIdempotent() async {
        await propertyCheck(count: 500, input: Scenario.generator) { scenario in
            let result = SyncMerge.merge(
                ancestor: scenario.ancestor, phone: scenario.phone, desktop: scenario.desktop,
                decisions: .all(.desktop)
            ).state
            let again = SyncMerge.merge(ancestor: scenario.ancestor, phone: result, desktop: result)
            #expect(again.state == result)
            #expect(again.conflicts.isEmpty)
            #expect(
                SyncMerge.merge(ancestor: result, phone: result, desktop: result).state
                    == result.collecting(against: result))
        }
    }

    @Test("every merged list is in display order with distinct live positions")
    func mergedListsOrdered() async {
        await propertyCheck(count: 500, input: Scenario.generator) { scenario in
            let result = SyncMerge.merge(
                ancestor: scenario.ancestor, phone: scenario.phone, desktop: scenario.desktop)
            for items in result.state.lists + result.state.lockedLists {
                #expect(items == PositionRules.ordered(items))
                let live = items.filter { !$0.isTombstone }.map(\.position)
                #expect(Set(live).count == live.count)
            }
        }
    }

    /// Items both sides added under one id are the exception: the phone's copy stands in for the missing ancestor.
    @Test("for items the ancestor holds, swapping the sides and the decisions gives the same state")
    func sidesAreTreatedAlike() async {
        await propertyCheck(count: 500, input: Scenario.generator) { scenario in
            guard !addedOnBothSides(scenario) else { return }
            let forward = SyncMerge.merge(
                ancestor: scenario.base, phone: scenario.phone, desktop: scenario.desktop, decisions: .all(.phone))
            let swapped = SyncMerge.merge(
                ancestor: scenario.base, phone: scenario.desktop, desktop: scenario.phone,
                decisions: .all(.desktop))
            #expect(forward.state == swapped.state)
        }
    }

    @Test("every pending conflict holds the desktop value, and deciding all of them settles the merge")
    func pendingConflictsAreConsistent() async {
        await propertyCheck(count: 500, input: Scenario.generator) { scenario in
            let pending = SyncMerge.merge(
                ancestor: scenario.ancestor, phone: scenario.phone, desktop: scenario.desktop)
            let byDesktop = SyncMerge.merge(
                ancestor: scenario.ancestor, phone: scenario.phone, desktop: scenario.desktop,
                decisions: .all(.desktop))
            #expect(byDesktop.conflicts.isEmpty)
            #expect(byDesktop.state == pending.state)
            let choices = Dictionary(uniqueKeysWithValues: pending.conflicts.map { ($0.subject, SyncSide.phone) })
            let decided = SyncMerge.merge(
                ancestor: scenario.ancestor, phone: scenario.phone, desktop: scenario.desktop,
                decisions: ConflictDecisions(choices))
            #expect(decided.conflicts.isEmpty)
            #expect(
                decided.state
                    == SyncMerge.merge(
                        ancestor: scenario.ancestor, phone: scenario.phone, desktop: scenario.desktop,
                        decisions: .all(.phone)
                    ).state)
        }
    }

    private func addedOnBothSides(_ scenario: Scenario) -> Bool {
        ListGroup.allCases.contains { group in
            (0..<2).contains { slot in
                let known = byID(scenario.base[group], slot)
                let phone = Set(byID(scenario.phone[group], slot).keys)
                return byID(scenario.desktop[group], slot).keys.contains { phone.contains($0) && known[$0] == nil }
            }
        }
    }

    private func byID(_ slots: [[SyncItem]], _ slot: Int) -> [String: SyncItem] {
        guard slot < slots.count else { return [:] }
        return Dictionary(slots[slot].map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
