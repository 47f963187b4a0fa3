import TandemMerge

/// A state in the shape a JotBunker phone holds, the only shape the server sends it (`state_sync`, and a
/// `sync_confirm`'s `snapshot`): a phone may adopt either wholesale, so both must be something a phone can hold.
///
/// - No tombstones: a phone removes a deleted item from its store and keeps no marker. Deletions reach other
///   devices through the three-way merge, which infers them from the ancestor.
/// - Six list slots in `lists` and `lockedLists`, six categories in each category array, six scratchpad slots
///   and six scratchpad categories, as every JotBunker phone keeps them; missing slots are filled with empty
///   lists, empty scratchpad text and the phone's default category labels (at time 0, so any real edit wins).
///   Longer arrays are kept as they are.
struct PhoneState: Encodable, Sendable, Equatable {
    /// The slots of every section on a JotBunker phone.
    static let slotCount = 6

    let state: SyncState

    init(_ state: SyncState) {
        var shaped = state
        shaped.lists = Self.live(state.lists)
        shaped.lockedLists = Self.live(state.lockedLists)
        shaped.listsCategories = Self.padded(state.listsCategories, section: .lists)
        shaped.lockedListsCategories = Self.padded(state.lockedListsCategories, section: .lockedLists)
        shaped.scratchpad = Self.padded(
            state.scratchpad ?? [], with: { _ in ScratchpadEntry(content: "", updatedAt: 0) })
        shaped.scratchpadCategories = Self.padded(state.scratchpadCategories ?? [], section: .scratchpad)
        self.state = shaped
    }

    func encode(to encoder: any Encoder) throws {
        try state.encode(to: encoder)
    }

    /// Six slots (or more, if there are), tombstones removed.
    private static func live(_ slots: [[SyncItem]]) -> [[SyncItem]] {
        padded(slots.map { $0.filter { !$0.isTombstone } }, with: { _ in [] })
    }

    private static func padded(_ categories: [SyncCategory], section: DefaultCategories) -> [SyncCategory] {
        padded(categories, with: section.category)
    }

    private static func padded<Value>(_ values: [Value], with fill: (Int) -> Value) -> [Value] {
        values + (values.count..<max(values.count, slotCount)).map(fill)
    }
}

/// The category labels a JotBunker phone starts with (the same in every released version), by section.
enum DefaultCategories: String {
    case lists
    case lockedLists
    case scratchpad

    var labels: [String] {
        switch self {
        case .lists: ["ASAP", "TODO", "WORK", "HOME", "SHOP", "TEMP"]
        case .lockedLists: ["NAMES", "PLACES", "LEGAL", "LOGINS", "CRATE", "CUSTOM"]
        case .scratchpad: ["CLIENT", "SCHOOL", "CREATE", "DREAM", "TEMP", "CUSTOM"]
        }
    }

    /// The default category of `slot`; slots past the sixth get an empty label.
    func category(_ slot: Int) -> SyncCategory {
        SyncCategory(label: slot < labels.count ? labels[slot] : "", section: rawValue, updatedAt: 0)
    }
}
