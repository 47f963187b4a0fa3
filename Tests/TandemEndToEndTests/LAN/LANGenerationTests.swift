import Foundation
import GRDB
import TandemMerge
import Testing

/// Every JotBunker generation ends a sync holding the merged state: phones that read only `sync_confirm`'s mode
/// (up to 1.0.7) and phones that adopt its `snapshot` (the 1.1 line).
@Suite("LAN phone generations", .timeLimit(.minutes(1)))
struct LANGenerationTests {
    typealias F = LANFixture

    @Test(
        "an item added on one phone reaches the other and stays on both phones and the server",
        arguments: JotPhone.Generation.allCases)
    func itemReachesEveryPhone(_ generation: JotPhone.Generation) async throws {
        let path = TestServer.temporaryDatabasePath()
        let server = try await F.start(databasePath: path)
        let a = JotPhone("A", generation)
        let b = JotPhone("B", generation)
        try await b.sync(server)
        a.add(F.item("x", "milk", position: 0, updatedAt: 2000))

        let added = try await a.sync(server)
        #expect(added.end["mode"] as? String == "phone-wins", "A already holds the merge")
        #expect(added.received.count == 1, "only the server's offer")

        let fetched = try await b.sync(server)
        #expect(fetched.received.count == 2, "the offer, then the merge B lacks")
        #expect(fetched.end["mode"] as? String == "desktop-wins")
        #expect(b.firstList["x"]?["text"] as? String == "milk")

        let unchanged = try await b.sync(server)
        #expect(unchanged.received.count == 1, "nothing new: B is left where it is")
        #expect(unchanged.end["mode"] as? String == "phone-wins")

        let again = try await a.sync(server)
        #expect(a.firstList["x"]?["text"] as? String == "milk")
        #expect(b.firstList["x"]?["text"] as? String == "milk")
        #expect(F.firstList(again.received.first)["x"]?["text"] as? String == "milk", "the server's state")
        for phone in [a, b] {
            #expect(try Self.ancestor(path, phone.device) == Self.decoded(phone.state), "\(phone.device)")
        }
        try await server.stop()
    }

    @Test("an empty server offers six lists, categories and scratchpad slots in every section")
    func emptyServerOffersSixSlots() async throws {
        let server = try await F.start()
        let (phone, offer) = try await PhoneClient.pair(server, device: "phone")
        for key in F.stateKeys {
            #expect((offer[key] as? [Any])?.count == 6, "\(key)")
        }
        let categories = try #require(offer["listsCategories"] as? [[String: Any]])
        #expect(categories.allSatisfy { $0["section"] as? String == "lists" && $0["updatedAt"] as? Double == 0 })
        await phone.close()
        try await server.stop()
    }

    @Test("deletions, by removal or by tombstone, reach every phone without a tombstone in anything it may adopt")
    func noTombstones() async throws {
        let path = TestServer.temporaryDatabasePath()
        let server = try await F.start(databasePath: path)
        // Five items, so two deletions stay under the large-change gate (80 % of the ancestor missing).
        let kept = (1...3).map { F.item("k\($0)", "item \($0)", position: Double($0 + 1)) }
        let a = JotPhone(
            "A", .modeOnly, items: [F.item("x", "milk", position: 0), F.item("y", "eggs", position: 1)] + kept)
        let b = JotPhone("B", .modeOnly)
        var runs = [try await a.sync(server), try await b.sync(server)]
        #expect(Set(b.firstList.keys) == ["x", "y", "k1", "k2", "k3"])

        a.remove("x")
        runs.append(try await a.sync(server))
        // A client that marks deletions with tombstones (no JotBunker phone does).
        let (tablet, offer) = try await PhoneClient.pair(server, device: "tablet")
        let confirm = try await tablet.sync(F.state([F.item("y", "eggs", position: 1, deleted: true)] + kept))
        #expect(!Self.hasTombstone(offer) && !Self.hasTombstone(confirm["snapshot"] as? [String: Any]))
        await tablet.close()
        runs.append(try await b.sync(server))

        #expect(Set(b.firstList.keys) == ["k1", "k2", "k3"])
        #expect(a.firstList["x"] == nil)
        for state in runs.flatMap(\.adoptable) { #expect(!Self.hasTombstone(state)) }
        for device in ["A", "B", "tablet"] {
            let ancestor = try #require(try Self.ancestor(path, device))
            #expect(!(ancestor.lists + ancestor.lockedLists).joined().contains { $0.isTombstone }, "\(device)")
        }
        #expect(try Self.ancestor(path, "B") == Self.decoded(b.state))
        try await server.stop()
    }

    @Test(
        "a held sync answered over HTTP ends with the phone holding the result", arguments: JotPhone.Generation.allCases
    )
    func heldSyncEndsHoldingTheResult(_ generation: JotPhone.Generation) async throws {
        let path = TestServer.temporaryDatabasePath()
        let server = try await F.start(databasePath: path)
        let phone = JotPhone("phone", generation, items: [F.item("a", "milk")])
        let tablet = JotPhone("tablet", generation, items: [F.item("a", "milk")])
        try await phone.sync(server)
        try await tablet.sync(server)
        tablet.setFirstList([F.item("a", "oat milk", updatedAt: 5000), F.item("t", "tea", position: 2)])
        try await tablet.sync(server)
        phone.setFirstList([F.item("a", "soy milk", updatedAt: 5000)])

        async let mode = phone.sync(server, timeout: .seconds(20)).end["mode"] as? String
        var held: [[String: Any]] = []
        for _ in 0..<200 where held.isEmpty {
            try await Task.sleep(for: .milliseconds(25))
            held = try await F.pending(server)
        }
        let id = try #require(held.first?["id"] as? String)
        let answer = ["decision": "merge", "choices": ["lists/0/a/text": "desktop"]] as [String: Any]
        #expect(try await F.api(server, "POST", "/lan/pending/\(id)", body: answer).status == 200)
        #expect(try await mode == "desktop-wins")
        #expect(phone.firstList["a"]?["text"] as? String == "oat milk")
        #expect(phone.firstList["t"]?["text"] as? String == "tea")
        #expect(try Self.ancestor(path, "phone") == Self.decoded(phone.state))
        try await server.stop()
    }

    /// The ancestor the server stored for `device`.
    static func ancestor(_ path: String, _ device: String) throws -> SyncState? {
        var configuration = Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: path, configuration: configuration)
        let data = try database.read { db in
            try Data.fetchOne(db, sql: "SELECT ancestor FROM lan_device WHERE deviceId = ?", arguments: [device])
        }
        return try data.map { try JSONDecoder().decode(SyncState.self, from: $0) }
    }

    static func decoded(_ state: [String: Any]) throws -> SyncState {
        try JSONDecoder().decode(SyncState.self, from: JSONSerialization.data(withJSONObject: state))
    }

    static func hasTombstone(_ state: [String: Any]?) -> Bool {
        let slots = ["lists", "lockedLists"].flatMap { state?[$0] as? [[[String: Any]]] ?? [] }
        return slots.joined().contains { $0["deleted"] as? Bool == true }
    }
}
