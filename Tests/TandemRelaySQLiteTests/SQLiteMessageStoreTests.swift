import Foundation
import TandemConnection
import TandemRelay
import TandemRelaySQLite
import TandemTestSupport
import Testing

@testable import TandemSQLite

@Suite("SQLite message store")
struct SQLiteMessageStoreTests {
    let path: String

    init() {
        let directory = TestFiles.directory("tandem-sqlite")
        path = directory.appendingPathComponent("test.db").path
    }

    func message(
        _ seq: UInt64, from sender: String = "A", to addressee: Addressee = .broadcast, room: String = "r",
        at time: Int64 = 1000
    )
        -> RoomMessage
    {
        RoomMessage(
            room: RoomID(room), seq: seq, sender: DeviceID(sender), addressee: addressee, body: .text("m\(seq)"),
            createdAt: time)
    }

    @Test("appended batches read back in order, filtered to what a device may see")
    func entitlement() async throws {
        let store = SQLiteMessageStore(pool: try SQLiteDatabase.open(path: path, migrations: RelaySchema.migrations))
        try await store.append([
            message(1), message(2, from: "B"), message(3, to: .device(DeviceID("B"))),
            message(4, to: .device(DeviceID("C"))),
        ])
        let forB = try await store.messages(in: RoomID("r"), for: DeviceID("B"), after: 0, through: 10, limit: 100)
        #expect(forB.map(\.seq) == [1, 3])
        let forC = try await store.messages(in: RoomID("r"), for: DeviceID("C"), after: 0, through: 10, limit: 100)
        #expect(forC.map(\.seq) == [1, 2, 4])
        #expect(forC.first == message(1))
        let window = try await store.messages(in: RoomID("r"), for: DeviceID("C"), after: 1, through: 2, limit: 100)
        #expect(window.map(\.seq) == [2])
        let limited = try await store.messages(in: RoomID("r"), for: DeviceID("C"), after: 0, through: 10, limit: 2)
        #expect(limited.map(\.seq) == [1, 2])
    }

    @Test("recent client ids come back newest first, per sender")
    func clientIDs() async throws {
        let store = SQLiteMessageStore(pool: try SQLiteDatabase.open(path: path, migrations: RelaySchema.migrations))
        func withID(_ seq: UInt64, _ sender: String, _ id: String?) -> RoomMessage {
            RoomMessage(
                room: RoomID("r"), seq: seq, sender: DeviceID(sender), addressee: .broadcast, body: .text(""),
                createdAt: 1, clientID: id)
        }
        try await store.append([withID(1, "A", "a1"), withID(2, "B", "b1"), withID(3, "A", nil), withID(4, "A", "a2")])
        let recent = try await store.recentClientIDs(in: RoomID("r"), sender: DeviceID("A"), limit: 10)
        #expect(recent.map(\.id) == ["a2", "a1"])
        #expect(recent.map(\.seq) == [4, 1])
        let read = try await store.messages(in: RoomID("r"), for: DeviceID("B"), after: 3, through: 4, limit: 1)
        #expect(read.first?.clientID == "a2")
    }

    @Test("binary bodies round-trip")
    func binary() async throws {
        let store = SQLiteMessageStore(pool: try SQLiteDatabase.open(path: path, migrations: RelaySchema.migrations))
        let bytes: [UInt8] = [0, 255, 1, 2, 0x80]
        try await store.append([
            RoomMessage(
                room: RoomID("r"), seq: 1, sender: DeviceID("A"), addressee: .broadcast, body: .binary(bytes),
                createdAt: 1)
        ])
        let read = try await store.messages(in: RoomID("r"), for: DeviceID("B"), after: 0, through: 1, limit: 1)
        #expect(read.first?.body == .binary(bytes))
    }

    @Test("last seq survives reopening and retention deleting every message")
    func lastSeqAndRetention() async throws {
        do {
            let store = SQLiteMessageStore(
                pool: try SQLiteDatabase.open(path: path, migrations: RelaySchema.migrations))
            try await store.append([message(1, at: 10), message(2, at: 20), message(1, room: "other", at: 30)])
        }
        let store = SQLiteMessageStore(pool: try SQLiteDatabase.open(path: path, migrations: RelaySchema.migrations))
        let opened = try await store.openRoom(RoomID("r"), kind: .history)
        #expect(opened.lastSeq == 2)
        #expect(opened.epoch.count == 32)
        let fresh = try await store.openRoom(RoomID("never"), kind: .history)
        #expect(fresh.lastSeq == 0)
        #expect(fresh.epoch != opened.epoch)
        #expect(
            try await store.openRoom(RoomID("never"), kind: .history).epoch == fresh.epoch,
            "the epoch is stable once made")
        #expect(try await store.deleteMessages(createdBefore: 25) == [RoomID("r"): 2])
        let pruned = try await store.openRoom(RoomID("r"), kind: .history)
        #expect(pruned.lastSeq == 2)
        #expect(pruned.prunedThrough == 2)
        #expect(try await store.messages(in: RoomID("r"), for: DeviceID("B"), after: 0, through: 9, limit: 9).isEmpty)
        #expect(
            try await store.messages(in: RoomID("other"), for: DeviceID("B"), after: 0, through: 9, limit: 9).count == 1
        )
    }

    @Test("a batch that repeats a seq fails whole and stores nothing")
    func atomicBatch() async throws {
        let store = SQLiteMessageStore(pool: try SQLiteDatabase.open(path: path, migrations: RelaySchema.migrations))
        try await store.append([message(1)])
        await #expect(throws: (any Error).self) { try await store.append([message(2), message(1)]) }
        let all = try await store.messages(in: RoomID("r"), for: DeviceID("B"), after: 0, through: 9, limit: 9)
        #expect(all.map(\.seq) == [1])
        #expect(try await store.openRoom(RoomID("r"), kind: .history).lastSeq == 1)
    }

    @Test("state logs are untouched by retention and shortened only by compaction")
    func stateLogs() async throws {
        let store = SQLiteMessageStore(pool: try SQLiteDatabase.open(path: path, migrations: RelaySchema.migrations))
        #expect(try await store.openRoom(RoomID("s"), kind: .state).lastSeq == 0)
        try await store.append([
            message(1, room: "s", at: 10), message(2, room: "s", at: 10), message(3, room: "s", at: 10),
        ])
        try await store.append([message(1, room: "h", at: 10)])
        #expect(try await store.deleteMessages(createdBefore: 1000) == [RoomID("h"): 1])
        // Opening it again as history does not change its kind.
        _ = try await store.openRoom(RoomID("s"), kind: .history)
        #expect(try await store.deleteMessages(createdBefore: 1000).isEmpty)
        try await store.compact(RoomID("s"), before: 3)
        let left = try await store.messages(in: RoomID("s"), for: DeviceID("B"), after: 0, through: 9, limit: 9)
        #expect(left.map(\.seq) == [3])
        let state = try await store.openRoom(RoomID("s"), kind: .state)
        #expect(state.prunedThrough == 2 && state.lastSeq == 3)
        try await store.compact(RoomID("s"), before: 2)
        #expect(try await store.openRoom(RoomID("s"), kind: .state).prunedThrough == 2, "never moves back")
    }
}
