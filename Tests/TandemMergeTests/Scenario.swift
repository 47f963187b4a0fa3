import PropertyBased

@testable import TandemMerge

/// Three related states built from a script of integers: a base state, and a phone and a desktop that each
/// applied a few random operations to it. Small pools of ids, texts, positions and times make collisions, ties and
/// same-id additions frequent. Every list is in display order with distinct live positions, as devices send it.
struct Scenario: Sendable, CustomStringConvertible {
    /// The state both sides started from; always present, even when `ancestor` is `nil`.
    let base: SyncState
    /// `base`, or `nil` for a first sync.
    let ancestor: SyncState?
    let phone: SyncState
    let desktop: SyncState

    static let generator = Gen.int(in: 0...999).array(of: 0...240).map { Scenario(script: $0) }

    /// Splits `values` in three: the base state, the phone's operations and the desktop's operations.
    init(script values: [Int]) {
        let third = values.count / 3
        var script = Script(values: Array(values[..<third]))
        let firstSync = script.next(5) == 4
        let base = Self.makeBase(&script)
        self.base = base
        self.ancestor = firstSync ? nil : base
        var phoneScript = Script(values: Array(values[third..<(2 * third)]))
        var desktopScript = Script(values: Array(values[(2 * third)...]))
        self.phone = Self.mutate(base, side: "p", &phoneScript)
        self.desktop = Self.mutate(base, side: "d", &desktopScript)
    }

    var description: String {
        "Scenario(ancestor: \(ancestor.map { "\($0)" } ?? "nil"),\n phone: \(phone),\n desktop: \(desktop))"
    }

    private static let texts = ["milk", "eggs", "tea", "jam"]

    private static func makeBase(_ script: inout Script) -> SyncState {
        var state = SyncState()
        for group in ListGroup.allCases {
            state[group] = (0..<2).map { _ in
                var items: [SyncItem] = []
                for rank in 0..<script.next(4) {
                    let id = "i\(script.next(6))"
                    guard !items.contains(where: { $0.id == id }) else { continue }
                    var item = SyncItem(
                        id: id, text: texts[script.next(4)], done: script.next(2) == 1, position: Double(rank + 1),
                        createdAt: 10, updatedAt: Double(100 + script.next(3)))
                    if script.next(6) == 0 {
                        item.deleted = true
                        item.deletedAt = item.updatedAt
                    }
                    items.append(item)
                }
                return PositionRules.ordered(items)
            }
        }
        state.listsCategories = (0..<2).map { _ in category(&script) }
        state.lockedListsCategories = (0..<2).map { _ in category(&script) }
        if script.next(3) != 0 {
            state.scratchpad = (0..<2).map { _ in
                ScratchpadEntry(content: texts[script.next(4)], updatedAt: Double(100 + script.next(3)))
            }
            state.scratchpadCategories = [category(&script)]
        }
        return state
    }

    private static func category(_ script: inout Script) -> SyncCategory {
        SyncCategory(label: texts[script.next(4)], section: "s", updatedAt: Double(100 + script.next(3)))
    }

    /// `base` after up to seven operations; every change is stamped with a time in 103...104.
    private static func mutate(_ base: SyncState, side: String, _ script: inout Script) -> SyncState {
        var state = base
        for _ in 0..<script.next(8) {
            // Most operations hit the first list, so both sides often touch the same items.
            let group = ListGroup.allCases[script.next(4) == 3 ? 1 : 0]
            let slot = script.next(4) == 3 ? 1 : 0
            let time = Double(103 + script.next(2))
            var items = state[group][slot]
            let index = items.isEmpty ? nil : script.next(items.count)
            switch (script.next(11), index) {
            case (0, let i?), (1, let i?):
                items[i].text = texts[script.next(4)]
                items[i].updatedAt = time
            case (2, let i?):
                items[i].done.toggle()
                items[i].updatedAt = time
            case (3, let i?), (4, let i?):
                let position = Double(script.next(2)) + 1.5
                if !items.contains(where: { !$0.isTombstone && $0.position == position }) {
                    items[i].position = position
                    items[i].updatedAt = time
                }
            case (5, let i?) where !items[i].isTombstone:
                items[i].deleted = true
                items[i].deletedAt = time
                items[i].updatedAt = time
            case (6, let i?):
                items.remove(at: i)
            case (7, _), (8, _):
                let id = "n\(script.next(4))"
                let position = Double(script.next(2)) + 1.5
                let free = !items.contains { $0.id == id || (!$0.isTombstone && $0.position == position) }
                if free {
                    items.append(
                        SyncItem(
                            id: id, text: "\(side)\(script.next(2))", position: position, createdAt: time,
                            updatedAt: time))
                }
            case (9, _):
                state.listsCategories[slot] = SyncCategory(label: texts[script.next(4)], section: side, updatedAt: time)
            case (10, _) where state.scratchpad != nil:
                state.scratchpad?[slot] = ScratchpadEntry(content: texts[script.next(4)], updatedAt: time)
            default:
                break
            }
            state[group][slot] = PositionRules.ordered(items)
        }
        return state
    }
}

/// Reads a list of integers one bounded value at a time; past its end it reads zeros.
struct Script {
    let values: [Int]
    var cursor = 0

    init(values: [Int]) {
        self.values = values
    }

    mutating func next(_ bound: Int) -> Int {
        defer { cursor += 1 }
        return cursor < values.count ? values[cursor] % bound : 0
    }
}

extension SyncState {
    /// This state without the tombstones `ancestor` already holds in the same slot: what tombstone collection
    /// removes when this state is merged against `ancestor`.
    func collecting(against ancestor: SyncState) -> SyncState {
        var state = self
        for group in ListGroup.allCases {
            state[group] = state[group].enumerated().map { slot, items in
                let collected = Set(
                    (slot < ancestor[group].count ? ancestor[group][slot] : []).filter(\.isTombstone).map(\.id))
                return items.filter { !collected.contains($0.id) }
            }
        }
        return state
    }
}
