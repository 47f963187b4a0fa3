import Testing

@testable import TandemMerge

/// Guards the property tests against a generator that stopped producing the interesting cases.
@Suite("scenario coverage")
struct ScenarioCoverageTests {
    @Test("generated scenarios include first syncs, conflicts, tombstones, removals, renumbering and a tripped gate")
    func generatorReachesEveryRule() {
        var seed: UInt64 = 0x5EED
        var seen: Set<String> = []
        for _ in 0..<2000 {
            let script = (0..<Int(next(&seed) % 241)).map { _ in Int(next(&seed) % 1000) }
            let scenario = Scenario(script: script)
            let result = SyncMerge.merge(
                ancestor: scenario.ancestor, phone: scenario.phone, desktop: scenario.desktop)
            if scenario.ancestor == nil { seen.insert("first sync") }
            if result.conflicts.contains(where: { if case .item = $0.subject { true } else { false } }) {
                seen.insert("item conflict")
            }
            if result.conflicts.contains(where: { if case .slot = $0.subject { true } else { false } }) {
                seen.insert("slot conflict")
            }
            if result.largeChange.isTripped { seen.insert("gate") }
            let items = (result.state.lists + result.state.lockedLists).flatMap { $0 }
            if items.contains(where: \.isTombstone) { seen.insert("tombstone kept") }
            let sent =
                (scenario.phone.lists + scenario.desktop.lists + scenario.phone.lockedLists
                + scenario.desktop.lockedLists).flatMap { $0 }.map { "\($0.id)@\($0.position)" }
            if !Set(items.map { "\($0.id)@\($0.position)" }).isSubset(of: Set(sent)) { seen.insert("renumbered") }
            let inputs = (scenario.phone.lists + scenario.desktop.lists).flatMap { $0 }.count
            if items.count < inputs / 2 { seen.insert("shrunk") }
        }
        #expect(
            seen == [
                "first sync", "item conflict", "slot conflict", "gate", "tombstone kept", "renumbered", "shrunk",
            ])
    }

    /// SplitMix64: a fixed stream, so the check is reproducible.
    private func next(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
