import Foundation
import Testing

@Suite("LAN sync", .timeLimit(.minutes(1)))
struct LANSyncTests {
    typealias F = LANFixture

    @Test("the first sync is the union, is stored, and is what the next phone and a restarted server offer")
    func firstSyncUnionIsDurable() async throws {
        let path = TestServer.temporaryDatabasePath()
        var server = try await F.start(databasePath: path)
        let (phone, offer) = try await PhoneClient.pair(server, device: "phone")
        #expect(F.firstList(offer).isEmpty)
        #expect(offer["since"] as? Double == 0)
        let confirm = try await phone.sync(F.state([F.item("a", "milk")]))
        #expect(confirm["type"] as? String == "sync_confirm")
        #expect(confirm["mode"] as? String == "phone-wins")
        #expect(confirm["appliedAt"] is Double)
        let snapshot = confirm["snapshot"] as? [String: Any]
        #expect(F.firstList(snapshot)["a"]?["text"] as? String == "milk")
        #expect(snapshot?["scratchpad"] is [Any], "the phone reads snapshot.scratchpad unconditionally")
        await phone.close()
        try await server.stop()

        server = try await F.start(databasePath: path)
        let (tablet, tabletOffer) = try await PhoneClient.pair(server, device: "tablet")
        #expect(F.firstList(tabletOffer)["a"]?["text"] as? String == "milk")
        let union = try await tablet.sync(F.state([F.item("b", "bread", position: 2)]))
        #expect(Set(F.firstList(union["snapshot"] as? [String: Any]).keys) == ["a", "b"])
        await tablet.close()
        try await server.stop()
    }

    @Test("an edit on one side is kept; both sides edited the same field: the newer edit wins")
    func editsMerge() async throws {
        let server = try await F.start()
        let (phone, _) = try await PhoneClient.pair(server, device: "phone")
        _ = try await phone.sync(F.state([F.item("a", "milk"), F.item("b", "eggs", position: 2)]))
        let (tablet, _) = try await PhoneClient.pair(server, device: "tablet")
        _ = try await tablet.sync(F.state([F.item("a", "milk"), F.item("b", "eggs", position: 2)]))

        // The tablet edits both items; through it the server's state changes.
        let tabletEdit = try await tablet.sync(
            F.state([F.item("a", "oat milk", updatedAt: 2000), F.item("b", "brown eggs", position: 2, updatedAt: 2000)])
        )
        #expect(F.firstList(tabletEdit["snapshot"] as? [String: Any])["a"]?["text"] as? String == "oat milk")

        // The phone left `a` alone and edited `b` earlier than the tablet did.
        let merged = try await phone.sync(
            F.state([F.item("a", "milk"), F.item("b", "six eggs", position: 2, updatedAt: 1500)]))
        let items = F.firstList(merged["snapshot"] as? [String: Any])
        #expect(items["a"]?["text"] as? String == "oat milk")
        #expect(items["b"]?["text"] as? String == "brown eggs")

        // Now the phone's edit is the newer one.
        let newer = try await phone.sync(
            F.state([F.item("a", "oat milk", updatedAt: 2000), F.item("b", "ten eggs", position: 2, updatedAt: 3000)]))
        #expect(F.firstList(newer["snapshot"] as? [String: Any])["b"]?["text"] as? String == "ten eggs")
        await phone.close()
        await tablet.close()
        try await server.stop()
    }

    @Test("a deletion wins over an edit (and leaves no tombstone), and items added on both sides are both kept")
    func deleteAndAdd() async throws {
        let server = try await F.start()
        let (phone, _) = try await PhoneClient.pair(server, device: "phone")
        _ = try await phone.sync(F.state([F.item("a", "milk")]))
        let (tablet, _) = try await PhoneClient.pair(server, device: "tablet")
        _ = try await tablet.sync(F.state([F.item("a", "milk")]))
        _ = try await tablet.sync(F.state([F.item("a", "oat milk", updatedAt: 5000), F.item("t", "tea", position: 3)]))

        let merged = try await phone.sync(
            F.state([F.item("a", "milk", updatedAt: 2000, deleted: true), F.item("p", "pears", position: 2)]))
        let items = F.firstList(merged["snapshot"] as? [String: Any])
        #expect(items["a"] == nil, "deleted, and no tombstone: a phone keeps none")
        #expect(items["p"]?["text"] as? String == "pears")
        #expect(items["t"]?["text"] as? String == "tea")
        await phone.close()
        await tablet.close()
        try await server.stop()
    }

    @Test("a sync in which nothing changed is confirmed with the same snapshot and moves only the sync time")
    func emptySync() async throws {
        let server = try await F.start()
        let (phone, _) = try await PhoneClient.pair(server, device: "phone")
        let first = try await phone.sync(F.state([F.item("a", "milk")]))
        let before = try await F.api(server, "GET", "/lan/devices").json as? [[String: Any]]
        let again = try await phone.sync(F.state([F.item("a", "milk")]))
        #expect(again["type"] as? String == "sync_confirm")
        #expect(
            F.firstList(again["snapshot"] as? [String: Any])["a"]?["text"] as? String
                == F.firstList(first["snapshot"] as? [String: Any])["a"]?["text"] as? String)
        let after = try await F.api(server, "GET", "/lan/devices").json as? [[String: Any]]
        let beforeTime = try #require(before?.first?["lastSyncAt"] as? Double)
        let afterTime = try #require(after?.first?["lastSyncAt"] as? Double)
        #expect(afterTime >= beforeTime)
        await phone.close()
        try await server.stop()
    }

    @Test("sync_request makes the server offer its state again")
    func syncRequest() async throws {
        let server = try await F.start()
        let (phone, _) = try await PhoneClient.pair(server, device: "phone")
        _ = try await phone.sync(F.state([F.item("a", "milk")]))
        phone.send(["type": "sync_request"])
        let offer = try await phone.next()
        #expect(offer["type"] as? String == "state_sync")
        #expect(F.firstList(offer)["a"]?["text"] as? String == "milk")
        #expect((offer["since"] as? Double ?? 0) > 0)
        await phone.close()
        try await server.stop()
    }

    @Test("paired devices are listed and can be forgotten; the API needs the pairing secret")
    func devicesAPI() async throws {
        let server = try await F.start()
        let (phone, _) = try await PhoneClient.pair(server, device: "phone 1")
        _ = try await phone.sync(F.state([F.item("a", "milk")]))
        let listed = try await F.api(server, "GET", "/lan/devices").json as? [[String: Any]]
        #expect(listed?.map { $0["deviceId"] as? String } == ["phone 1"])
        #expect(try await F.api(server, "GET", "/lan/devices", secret: "wrong").status == 401)
        #expect(try await F.api(server, "DELETE", "/lan/devices/phone%201").status == 204)
        #expect(try await F.api(server, "DELETE", "/lan/devices/phone%201").status == 404)
        #expect((try await F.api(server, "GET", "/lan/devices").json as? [Any])?.isEmpty == true)
        await phone.close()
        try await server.stop()
    }
}
