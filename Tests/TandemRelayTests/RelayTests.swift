import TandemConnection
import Testing

@testable import TandemRelay

/// A relay on an in-memory store with a manual clock, plus helpers to join and read events.
struct Harness {
    let store = MemoryMessageStore()
    let clock = ManualClock()
    let relay: Relay

    init(_ configure: (inout RelayLimits) -> Void = { _ in }) {
        var limits = RelayLimits()
        configure(&limits)
        relay = Relay(limits: limits, log: MessageLog(store: store), clock: clock.wallClock)
        Task { [relay] in await relay.log.run() }
    }

    /// Waits until everything sent so far is stored and delivered.
    func settle() async { await relay.log.flush() }

    func join(_ device: String, room: String = "r", resuming: Bool = false, buffered: Bool = true) async throws
        -> Member
    {
        let queue = RecordingOutbox()
        let (membership, admission) = try await relay.join(
            room: RoomID(room), device: DeviceID(device), resuming: resuming, outbox: queue,
            holdsOfflineBuffer: buffered)
        return Member(membership: membership, admission: admission, queue: queue)
    }
}

struct Member {
    let membership: Membership
    let admission: Admission
    let queue: RecordingOutbox

    @discardableResult
    func send(_ text: String, to recipient: Recipient, id: String? = nil) throws(SendError) -> RoomMessage {
        switch try membership.send(to: recipient, clientID: id, render: { _, _ in .text(text) }) {
        case .published(let message, _): return message
        case .duplicate(let seq):
            return RoomMessage(
                room: membership.room.id, seq: seq, sender: membership.device, addressee: .broadcast,
                body: .text("duplicate"), createdAt: 0)
        }
    }

    /// Items delivered since the last look.
    func pending() async -> [RecordingOutbox.Item] { queue.take() }

    func messages() async -> [String] {
        await pending().compactMap { item in
            if case .event(.message(let message)) = item, case .text(let text) = message.body { return text }
            return nil
        }
    }
}

@Suite("Relay core")
struct RelayTests {
    @Test("the first device is host; broadcasts skip the sender; seqs increase from 1")
    func hostAndBroadcast() async throws {
        let harness = Harness()
        let a = try await harness.join("A")
        let b = try await harness.join("B")
        #expect(a.admission.host == DeviceID("A"))
        #expect(b.admission.host == DeviceID("A"))
        #expect(b.admission.peers == [DeviceID("A")])
        let first = try a.send("one", to: .broadcast)
        let second = try b.send("two", to: .broadcast)
        await harness.settle()
        #expect(first.seq == 1)
        #expect(second.seq == 2)
        #expect(await b.messages() == ["one"])
        #expect(await a.messages() == ["two"])
    }

    @Test("host messages resolve to the host device; none to self")
    func hostRouting() async throws {
        let harness = Harness()
        let a = try await harness.join("A")
        let b = try await harness.join("B")
        let sent = try b.send("hi", to: .host)
        #expect(sent.addressee == .device(DeviceID("A")))
        #expect(throws: SendError.selfAddressed) { try a.send("me", to: .host) }
        #expect(throws: SendError.selfAddressed) { try a.send("me", to: .device(DeviceID("A"))) }
        _ = await a.pending()
    }

    @Test("the longest-connected member becomes host when the host leaves")
    func reelection() async throws {
        let harness = Harness()
        let a = try await harness.join("A")
        let b = try await harness.join("B")
        let c = try await harness.join("C")
        _ = await b.pending()
        _ = await c.pending()
        a.membership.leave()
        #expect(harness.relay.room(RoomID("r"))?.host == DeviceID("B"))
        let events = await c.pending()
        #expect(events.contains(.event(.hostChanged(room: RoomID("r"), host: DeviceID("B")))))
        #expect(events.contains(.event(.peerLeft(room: RoomID("r"), device: DeviceID("A")))))
    }

    @Test("offline buffers hold messages for the TTL, then expire")
    func offlineBuffer() async throws {
        let harness = Harness { $0.bufferTTLMillis = 1000 }
        let a = try await harness.join("A")
        let b = try await harness.join("B")
        b.membership.leave()
        try a.send("direct", to: .device(DeviceID("B")))
        try a.send("all", to: .broadcast)
        await harness.settle()
        let back = try await harness.join("B")
        #expect(back.admission.buffered.map(\.seq) == [1, 2])
        back.membership.leave()
        try a.send("late", to: .broadcast)
        await harness.settle()
        harness.clock.advance(by: 1001)
        harness.relay.sweep()
        let after = try await harness.join("B")
        #expect(after.admission.buffered.isEmpty)
        #expect(after.admission.roomSeq == 3)
    }

    @Test("a resuming device does not get its buffer (storage covers it)")
    func resumingSkipsBuffer() async throws {
        let harness = Harness()
        let a = try await harness.join("A")
        let b = try await harness.join("B")
        b.membership.leave()
        try a.send("x", to: .broadcast)
        await harness.settle()
        let back = try await harness.join("B", resuming: true)
        #expect(back.admission.buffered.isEmpty)
        #expect(back.admission.roomSeq == 1)
    }

    @Test("an overflowing buffer is dropped and flagged")
    func bufferOverflow() async throws {
        let harness = Harness { $0.maxBufferBytes = 10 }
        let a = try await harness.join("A")
        let b = try await harness.join("B")
        b.membership.leave()
        try a.send("123456", to: .broadcast)
        try a.send("123456", to: .broadcast)
        await harness.settle()
        let back = try await harness.join("B")
        #expect(back.admission.buffered.isEmpty)
        #expect(back.admission.bufferOverflowed)
    }

    @Test("room and member limits are enforced with the limit named")
    func limits() async throws {
        let harness = Harness {
            $0.maxMembersPerRoom = 1
            $0.maxRooms = 1
        }
        _ = try await harness.join("A")
        await #expect(throws: JoinError.roomFull(limit: 1)) { try await harness.join("B") }
        await #expect(throws: JoinError.tooManyRooms(limit: 1)) { try await harness.join("C", room: "other") }
    }

    @Test("rejoining replaces the older connection and closes it")
    func replacement() async throws {
        let harness = Harness()
        let old = try await harness.join("A")
        let new = try await harness.join("A")
        #expect(await old.pending() == [.close(.replaced)])
        #expect(throws: SendError.notMember) { try old.send("x", to: .broadcast) }
        old.membership.leave()  // must not remove the new connection
        #expect(harness.relay.room(RoomID("r"))?.members == [DeviceID("A")])
        #expect(harness.relay.connections == 1)
        _ = new
    }

    @Test("a connection counts as open from its join until its transport ends, even after it left the room")
    func openConnections() async throws {
        let harness = Harness()
        let a = try await harness.join("A")
        let b = try await harness.join("B")
        #expect(harness.relay.openConnections == 2)
        a.membership.leave()  // closed by the server: out of the room, close frame still to send
        #expect(harness.relay.connections == 1)
        #expect(harness.relay.openConnections == 2)
        a.membership.disconnected()
        b.membership.disconnected()  // the socket ended without leaving first
        #expect(harness.relay.connections == 0)
        #expect(harness.relay.openConnections == 0)
    }

    @Test("a room is loaded with its last seq from storage, so numbering continues")
    func seqContinuesFromStorage() async throws {
        let harness = Harness()
        let a = try await harness.join("A")
        try a.send("1", to: .broadcast)
        try a.send("2", to: .broadcast)
        await harness.settle()
        a.membership.leave()
        harness.clock.advance(by: 120_000)
        harness.relay.sweep()
        #expect(harness.relay.roomCount == 0)
        let again = try await harness.join("A")
        #expect(again.admission.roomSeq == 2)
        #expect(try again.send("3", to: .broadcast).seq == 3)
        await harness.settle()
        #expect(harness.store.stored.map(\.seq) == [1, 2, 3])
    }

    @Test("a retried client id is recognised, also after the room is reloaded from storage")
    func retries() async throws {
        let harness = Harness()
        let a = try await harness.join("A")
        let b = try await harness.join("B")
        #expect(try a.send("x", to: .broadcast, id: "m1").seq == 1)
        #expect(try a.send("x", to: .broadcast, id: "m1").body == .text("duplicate"))
        #expect(try a.send("y", to: .broadcast, id: "m2").seq == 2)
        #expect(try b.send("z", to: .broadcast, id: "m1").seq == 3, "ids are per device")
        await harness.settle()
        #expect(await b.messages() == ["x", "y"])
        a.membership.leave()
        b.membership.leave()
        await harness.settle()
        harness.clock.advance(by: 120_000)
        harness.relay.sweep()
        #expect(harness.relay.roomCount == 0)
        let again = try await harness.join("A")
        let retry = try again.membership.send(to: .broadcast, clientID: "m1") { _, _ in .text("x") }
        #expect(retry == .duplicate(seq: 1))
    }

    @Test("a departed device's ids are dropped from memory and reloaded from storage when it returns")
    func clientIDsAfterDeparture() async throws {
        let harness = Harness { $0.bufferTTLMillis = 0 }
        let a = try await harness.join("A")
        let b = try await harness.join("B")
        #expect(try b.send("x", to: .broadcast, id: "b1").seq == 1)
        await harness.settle()
        b.membership.leave()
        harness.relay.sweep()
        #expect(harness.relay.room(RoomID("r"))?.tracksClientIDs(of: DeviceID("B")) == false)
        let back = try await harness.join("B")
        let retry = try back.membership.send(to: .broadcast, clientID: "b1") { _, _ in .text("x") }
        #expect(retry == .duplicate(seq: 1))
        _ = a
    }

    @Test("resumability: same epoch, lastSeq within the retained log")
    func resumability() async throws {
        let harness = Harness()
        let a = try await harness.join("A")
        try a.send("1", to: .broadcast)
        try a.send("2", to: .broadcast)
        await harness.settle()
        let b = try await harness.join("B")
        #expect(b.admission.canResume(from: 0, epoch: nil))
        #expect(b.admission.canResume(from: 2, epoch: "e1"))
        #expect(!b.admission.canResume(from: 3, epoch: nil), "ahead of the room: the log was reset")
        #expect(!b.admission.canResume(from: 1, epoch: "other"), "another epoch")
        _ = try await harness.relay.applyRetention(createdBefore: Int64.max)
        let c = try await harness.join("C")
        #expect(c.admission.prunedThrough == 2)
        #expect(!c.admission.canResume(from: 1, epoch: nil), "pruned past lastSeq")
        #expect(c.admission.canResume(from: 2, epoch: nil))
    }

    @Test("a message is delivered only once durable, and a member joining meanwhile gets it live")
    func deliveryAfterDurability() async throws {
        let store = MemoryMessageStore()
        let log = MessageLog(store: store)
        let relay = Relay(limits: RelayLimits(), log: log)
        let queueA = RecordingOutbox()
        let queueB = RecordingOutbox()
        let (a, _) = try await relay.join(room: RoomID("r"), device: DeviceID("A"), resuming: false, outbox: queueA)
        _ = try a.send(to: .broadcast) { _, _ in .text("m") }
        let (_, admission) = try await relay.join(
            room: RoomID("r"), device: DeviceID("B"), resuming: true, outbox: queueB)
        #expect(admission.roomSeq == 0, "not yet delivered, so not part of B's catch-up")
        #expect(queueB.queuedItemCount == 0)
        let writer = Task { await log.run() }
        await log.flush()
        #expect(queueB.queuedItemCount == 1, "delivered live once stored")
        #expect(store.stored.count == 1)
        log.stop()
        await writer.value
    }

    @Test("drain closes every member with 1001 and refuses new joins")
    func drain() async throws {
        let harness = Harness()
        let a = try await harness.join("A")
        harness.relay.drain()
        #expect(await a.pending() == [.close(.goingAway)])
        await #expect(throws: JoinError.shuttingDown) { try await harness.join("B") }
    }

    @Test("transient frames reach the other members at once, unsequenced and unstored")
    func transientRelay() async throws {
        let harness = Harness()
        let a = try await harness.join("A"), b = try await harness.join("B")
        _ = await a.pending()
        try a.membership.relayTransient(.binary([4, 1]))
        #expect(
            await b.pending() == [.event(.transient(room: RoomID("r"), sender: DeviceID("A"), frame: .binary([4, 1])))])
        #expect(await a.pending().isEmpty)
        await harness.settle()
        #expect(harness.store.stored.isEmpty && harness.relay.room(RoomID("r"))?.lastSeq == 0)
    }

    @Test("history pages hold (after, through] in seq order, without messages addressed to others")
    func historyPages() async throws {
        let harness = Harness()
        let a = try await harness.join("A"), b = try await harness.join("B")
        for n in 1...6 { try a.send("m\(n)", to: n == 4 ? .device(DeviceID("C")) : .broadcast) }
        try a.send("for B", to: .device(DeviceID("B")))
        await harness.settle()
        var pages: [[String]] = []
        for try await page in b.membership.history(after: 1, through: 7, pageSize: 2) {
            pages.append(page.map { if case .text(let text) = $0.body { text } else { "?" } })
        }
        #expect(pages == [["m2", "m3"], ["m5", "m6"], ["for B"]])
        var none = 0
        for try await _ in b.membership.history(after: 7, through: 7, pageSize: 2) { none += 1 }
        #expect(none == 0, "an empty range reads nothing")
    }

    @Test("members joined without an offline buffer leave nothing behind")
    func noOfflineBuffer() async throws {
        let harness = Harness()
        let a = try await harness.join("A", buffered: false), b = try await harness.join("B", buffered: false)
        a.membership.leave()
        try b.send("after", to: .broadcast)
        await harness.settle()
        b.membership.leave()
        #expect(harness.relay.roomCount == 0, "no buffer keeps the room")
    }

    @Test("compaction deletes what a snapshot supersedes and moves prunedThrough")
    func compaction() async throws {
        let harness = Harness()
        let a = try await harness.join("A")
        for n in 1...4 { try a.send("m\(n)", to: .broadcast) }
        await harness.settle()
        try await harness.relay.compact(RoomID("r"), before: 3)
        #expect(harness.store.stored.map(\.seq) == [3, 4])
        let b = try await harness.join("B", resuming: true)
        #expect(b.admission.prunedThrough == 2)
    }
}
