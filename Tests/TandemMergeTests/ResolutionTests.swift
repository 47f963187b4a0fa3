import Foundation
import Testing

@testable import TandemMerge

@Suite("resolving pending decisions")
struct ResolutionTests {
    let a = item("a", "milk", at: 1)
    let b = item("b", "eggs", at: 2)
    var ancestor: SyncState { state([a, b]) }
    var phone: SyncState { state([a.with(text: "phone", at: 300), b.with(position: 1, at: 300)]) }
    var desktop: SyncState { state([a.with(text: "desktop", at: 300), b.with(position: 3, at: 300)]) }
    var textSubject: ConflictSubject { .item(group: .lists, slot: 0, id: "a", field: .text) }
    var positionSubject: ConflictSubject { .item(group: .lists, slot: 0, id: "b", field: .position) }

    @Test("resolving a merge with undecided conflicts fails and names them")
    func undecidedFails() {
        #expect(throws: SyncResolutionError.undecidedConflicts([textSubject, positionSubject])) {
            try SyncMerge.resolve(.merge(.none), ancestor: ancestor, phone: phone, desktop: desktop)
        }
    }

    @Test("per-conflict decisions pick each side's value; undecided ones fall back to `otherwise`")
    func perConflictDecisions() throws {
        let decisions = ConflictDecisions([textSubject: .phone], otherwise: .desktop)
        let resolved = try SyncMerge.resolve(.merge(decisions), ancestor: ancestor, phone: phone, desktop: desktop)
        #expect(resolved.lists == [[a.with(text: "phone", at: 300), b.with(position: 3, at: 300)]])
    }

    @Test("a partial decision leaves exactly the other conflicts pending")
    func partialDecision() {
        let result = SyncMerge.merge(
            ancestor: ancestor, phone: phone, desktop: desktop, decisions: ConflictDecisions([textSubject: .phone]))
        #expect(result.conflicts.map(\.subject) == [positionSubject])
        #expect(result.state.lists[0].first { $0.id == "a" }?.text == "phone")
    }

    @Test("phone wins the whole sync: every conflict takes the phone value, and a clash renumbers")
    func phoneWinsAll() throws {
        let resolved = try SyncMerge.resolve(.merge(.all(.phone)), ancestor: ancestor, phone: phone, desktop: desktop)
        // b moved to position 1, onto a: the list is renumbered with a before b by id.
        #expect(resolved.lists == [[a.with(text: "phone", at: 300), b.with(position: 2, at: 300)]])
    }

    @Test("desktop wins the whole sync: the same as the pending state")
    func desktopWinsAll() throws {
        let resolved = try SyncMerge.resolve(
            .merge(.all(.desktop)), ancestor: ancestor, phone: phone, desktop: desktop)
        #expect(resolved == SyncMerge.merge(ancestor: ancestor, phone: phone, desktop: desktop).state)
    }

    @Test("a tripped gate refuses a merge unless allowed, and 'use phone' / 'use computer' replace wholesale")
    func largeChangeDecisions() throws {
        let wiped = SyncState(lists: [[]])
        #expect(throws: SyncResolutionError.self) {
            try SyncMerge.resolve(.merge(.none), ancestor: ancestor, phone: wiped, desktop: ancestor)
        }
        let merged = try SyncMerge.resolve(
            .merge(.none, allowingLargeChange: true), ancestor: ancestor, phone: wiped, desktop: ancestor)
        #expect(merged.lists == [[]])
        #expect(try SyncMerge.resolve(.usePhone, ancestor: ancestor, phone: wiped, desktop: ancestor) == wiped)
        #expect(try SyncMerge.resolve(.useDesktop, ancestor: ancestor, phone: wiped, desktop: desktop) == desktop)
    }

    @Test("decisions survive an encode/decode round trip, so a server can persist a pending sync")
    func decisionsCodable() throws {
        let decision = SyncDecision.merge(ConflictDecisions([textSubject: .phone], otherwise: .desktop))
        let data = try JSONEncoder().encode(decision)
        #expect(try JSONDecoder().decode(SyncDecision.self, from: data) == decision)
    }
}
