import Foundation
import Testing

@testable import TandemMerge

@Suite("wire shape")
struct WireShapeTests {
    @Test("a phone's state_sync body decodes straight into SyncState, other fields ignored")
    func decodesPhoneJSON() throws {
        let json = """
            {"type":"state_sync","since":1700000000000,"notes":{"jots":[]},
             "lists":[[{"id":"6f1c","text":"milk","done":false,"position":1.5,
                        "createdAt":1700000000000,"updatedAt":1700000000123}],
                      [{"id":"9a2b","text":"old","done":true,"position":-1,"createdAt":1,"updatedAt":2,
                        "deleted":true,"deletedAt":2}]],
             "lockedLists":[[]],
             "listsCategories":[{"label":"Groceries","section":"home","updatedAt":5}],
             "lockedListsCategories":[],
             "scratchpad":[{"content":"hi","updatedAt":7}]}
            """
        let state = try JSONDecoder().decode(SyncState.self, from: Data(json.utf8))
        #expect(
            state.lists[0][0]
                == SyncItem(
                    id: "6f1c", text: "milk", position: 1.5, createdAt: 1_700_000_000_000, updatedAt: 1_700_000_000_123)
        )
        #expect(state.lists[1][0].isTombstone)
        #expect(state.lists[1][0].deletedAt == 2)
        #expect(state.listsCategories == [SyncCategory(label: "Groceries", section: "home", updatedAt: 5)])
        #expect(state.scratchpad == [ScratchpadEntry(content: "hi", updatedAt: 7)])
        #expect(state.scratchpadCategories == nil)
    }

    @Test("encoding uses the wire field names and leaves absent optionals out")
    func encodesWireNames() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(item("a", "milk", at: 2))
        #expect(
            String(decoding: data, as: UTF8.self)
                == #"{"createdAt":50,"done":false,"id":"a","position":2,"text":"milk","updatedAt":100}"#)
    }
}
