import Foundation
import Testing

@Suite("LAN pending decisions", .timeLimit(.minutes(1)))
struct LANDecisionTests {
    typealias F = LANFixture

    /// Phone and tablet share `a`; the tablet then changes its text at 5000, so the phone's own change at the same
    /// instant conflicts.
    static func conflicting(_ server: TestServer) async throws -> (phone: PhoneClient, tablet: PhoneClient) {
        let (phone, _) = try await PhoneClient.pair(server, device: "phone")
        _ = try await phone.sync(F.state([F.item("a", "milk")]))
        let (tablet, _) = try await PhoneClient.pair(server, device: "tablet")
        _ = try await tablet.sync(F.state([F.item("a", "milk")]))
        _ = try await tablet.sync(F.state([F.item("a", "oat milk", updatedAt: 5000)]))
        phone.send(conflictingPhone)
        return (phone, tablet)
    }

    /// The phone's `state_sync` in ``conflicting(_:)``.
    static var conflictingPhone: [String: Any] {
        F.state([F.item("a", "soy milk", updatedAt: 5000)]).merging(["type": "state_sync", "since": 0]) { a, _ in a }
    }

    /// The one pending sync, once the server holds it (the phone's message is handled before its heartbeat).
    static func onlyPending(_ server: TestServer, _ phone: PhoneClient) async throws -> [String: Any] {
        try await phone.roundTrip()
        let pending = try await F.pending(server)
        #expect(pending.count == 1)
        return try #require(pending.first)
    }

    @Test("a same-instant conflict waits for a decision; answering merge with a choice confirms it")
    func conflictAnsweredOverHTTP() async throws {
        let server = try await F.start()
        let (phone, tablet) = try await Self.conflicting(server)
        let held = try await Self.onlyPending(server, phone)
        #expect(held["deviceId"] as? String == "phone")
        let conflicts = try #require(held["conflicts"] as? [[String: Any]])
        #expect(conflicts.count == 1)
        #expect(conflicts.first?["key"] as? String == "lists/0/a/text")
        #expect(conflicts.first?["phone"] as? String == "soy milk")
        #expect(conflicts.first?["desktop"] as? String == "oat milk")
        #expect(held["largeChange"] == nil)

        let id = try #require(held["id"] as? String)
        let missing = try await F.api(server, "POST", "/lan/pending/\(id)", body: ["decision": "merge"])
        #expect(missing.status == 400, "a merge that leaves the conflict open is refused and stays pending")
        let answered = try await F.api(
            server, "POST", "/lan/pending/\(id)", body: ["decision": "merge", "choices": ["lists/0/a/text": "phone"]])
        #expect(answered.status == 200)
        let confirm = try await phone.finish(answering: Self.conflictingPhone)
        #expect(confirm["type"] as? String == "sync_confirm")
        #expect(confirm["mode"] as? String == "phone-wins", "the phone already holds the merge: its own value won")
        #expect(F.firstList(confirm["snapshot"] as? [String: Any])["a"]?["text"] as? String == "soy milk")
        #expect(try await F.pending(server).isEmpty)
        #expect(try await F.api(server, "POST", "/lan/pending/\(id)", body: ["decision": "phone"]).status == 404)
        await phone.close()
        await tablet.close()
        try await server.stop()
    }

    @Test("cancelling a pending sync sends sync_cancel and changes nothing")
    func conflictCancelled() async throws {
        let server = try await F.start()
        let (phone, tablet) = try await Self.conflicting(server)
        let id = try #require(try await Self.onlyPending(server, phone)["id"] as? String)
        #expect(try await F.api(server, "POST", "/lan/pending/\(id)", body: ["decision": "cancel"]).status == 200)
        #expect(try await phone.next()["type"] as? String == "sync_cancel")
        phone.send(["type": "sync_request"])
        #expect(F.firstList(try await phone.next())["a"]?["text"] as? String == "oat milk")
        await phone.close()
        await tablet.close()
        try await server.stop()
    }

    @Test("nobody answers: the pending sync is cancelled after lan.decision.timeout.seconds")
    func conflictTimesOut() async throws {
        let server = try await F.start(["lan.decision.timeout.seconds": "1"])
        let (phone, tablet) = try await Self.conflicting(server)
        // The clock starts once the server holds the sync, which is after the phone sent it. (Whether
        // the test sees it pending first depends on the machine's speed, so that is checked elsewhere.)
        let sent = ContinuousClock.now
        #expect(try await phone.next(timeout: .seconds(10))["type"] as? String == "sync_cancel")
        #expect(ContinuousClock.now - sent >= .milliseconds(900), "not before the timeout")
        #expect(try await F.pending(server).isEmpty)
        await phone.close()
        await tablet.close()
        try await server.stop()
    }

    @Test("an answer after another device changed the server's state is refused (409) and the sync cancelled")
    func staleAnswer() async throws {
        let server = try await F.start()
        let (phone, tablet) = try await Self.conflicting(server)
        let id = try #require(try await Self.onlyPending(server, phone)["id"] as? String)
        _ = try await tablet.sync(F.state([F.item("a", "oat milk", updatedAt: 5000), F.item("t", "tea", position: 2)]))
        #expect(try await F.api(server, "POST", "/lan/pending/\(id)", body: ["decision": "phone"]).status == 409)
        #expect(try await phone.next()["type"] as? String == "sync_cancel")
        #expect(try await F.pending(server).isEmpty)
        await phone.close()
        await tablet.close()
        try await server.stop()
    }

    @Test("a wiped phone trips the large-change gate; 'use computer data' sends the computer's state in full")
    func largeChangeAnswered() async throws {
        let server = try await F.start()
        let items = (1...5).map { F.item("i\($0)", "item \($0)", position: Double($0)) }
        let (phone, _) = try await PhoneClient.pair(server, device: "phone")
        _ = try await phone.sync(F.state(items))
        let wiped = F.state([]).merging(["type": "state_sync", "since": 0]) { a, _ in a }
        phone.send(wiped)
        let held = try await Self.onlyPending(server, phone)
        let gate = try #require(held["largeChange"] as? [String: Any])
        #expect(gate["ancestorItemCount"] as? Int == 5)
        #expect(gate["phoneMissingCount"] as? Int == 5)
        #expect(gate["trippedBy"] as? [String] == ["phone"])
        let id = try #require(held["id"] as? String)
        #expect(try await F.api(server, "POST", "/lan/pending/\(id)", body: ["decision": "desktop"]).status == 200)
        let offer = try await phone.next()
        #expect(offer["type"] as? String == "state_sync", "the computer's state, for the phone to hold as pending")
        #expect(F.firstList(offer).count == 5)
        phone.send(wiped)
        let confirm = try await phone.finish(answering: wiped)
        #expect(confirm["mode"] as? String == "desktop-wins")
        #expect(F.firstList(confirm["snapshot"] as? [String: Any]).count == 5)
        await phone.close()
        try await server.stop()
    }

    @Test("lan.decision.policy=phone-wins decides at once: the wiped phone's empty state replaces the computer's")
    func policyDecides() async throws {
        let server = try await F.start(["lan.decision.policy": "phone-wins"])
        let items = (1...5).map { F.item("i\($0)", "item \($0)", position: Double($0)) }
        let (phone, _) = try await PhoneClient.pair(server, device: "phone")
        _ = try await phone.sync(F.state(items))
        let confirm = try await phone.sync(F.state([]))
        #expect(confirm["mode"] as? String == "phone-wins")
        #expect(F.firstList(confirm["snapshot"] as? [String: Any]).isEmpty)
        #expect(try await F.pending(server).isEmpty)
        await phone.close()
        try await server.stop()
    }
}
