import Foundation
import GRDB
import TandemConnection
import TandemRelay
import TandemRelaySQLite
import TandemSDS
import TandemSDSSQLite
import TandemTestSupport
import Testing

@testable import TandemSQLite

@Suite("SQLite SDS blob store")
struct SQLiteSDSBlobStoreTests {
    let path = TestFiles.directory("tandem-sds-blobs").appendingPathComponent("test.db").path
    let hash = [UInt8](repeating: 0xAB, count: 32)

    @Test("blobs are kept per store and hash; a store's total is bounded, a replaced blob counts once")
    func putAndRead() async throws {
        let blobs = SQLiteSDSBlobStore(
            pool: try SQLiteDatabase.open(path: path, migrations: RelaySchema.migrations + SDSBlobSchema.migrations))
        try await blobs.put(store: "a", hash: hash, bytes: [1, 2, 3], maxStoreBytes: 5)
        #expect(try await blobs.blob(store: "a", hash: hash) == [1, 2, 3])
        #expect(try await blobs.blob(store: "b", hash: hash) == nil)
        try await blobs.put(store: "a", hash: hash, bytes: [4, 5, 6, 7, 8], maxStoreBytes: 5)
        #expect(try await blobs.blob(store: "a", hash: hash) == [4, 5, 6, 7, 8])
        let other = [UInt8](repeating: 1, count: 32)
        await #expect(throws: SDSBlobError.storeFull(limit: 5)) {
            try await blobs.put(store: "a", hash: other, bytes: [9], maxStoreBytes: 5)
        }
        #expect(try await blobs.blob(store: "a", hash: other) == nil)
        try await blobs.put(store: "b", hash: other, bytes: [9], maxStoreBytes: 5)
    }

    @Test("migration: a stored snapshot becomes a blob and every stored patch stays")
    func snapshotsBecomeBlobs() async throws {
        let pool = try DatabasePool(path: path)
        // The relay's tables as they were before the SDS blobs step.
        try SQLiteDatabase.migrator(RelaySchema.migrations).migrate(pool)
        let room = RoomID(namespace: "sds", name: "notes").rawValue
        let bodies: [[UInt8]] = [[0x01, 1], [0x02] + hash + [7, 7, 7], [0x01, 2]]
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO room (roomId, lastSeq, epoch, createdAt, kind) VALUES (?, 3, 'e', 0, 'state')",
                arguments: [room])
            for (index, body) in bodies.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO message (roomId, seq, sender, isBinary, body, createdAt)
                        VALUES (?, ?, 'sds-x', 1, ?, 5)
                        """,
                    arguments: [room, index + 1, Data(body)])
            }
            // A Hone room's binary message that happens to start with 0x02 is not SDS's.
            try db.execute(
                sql:
                    "INSERT INTO message (roomId, seq, sender, isBinary, body, createdAt) VALUES ('r', 1, 'A', 1, ?, 5)",
                arguments: [Data([0x02] + hash + [1])])
        }
        let migrated = try SQLiteDatabase.open(
            path: path, migrations: RelaySchema.migrations + SDSBlobSchema.migrations)
        let blobs = SQLiteSDSBlobStore(pool: migrated)
        #expect(try await blobs.blob(store: "notes", hash: hash) == [7, 7, 7])
        let store = SQLiteMessageStore(pool: migrated)
        let kept = try await store.messages(in: RoomID(room), for: DeviceID("probe"), after: 0, through: 10, limit: 10)
        #expect(kept.map(\.seq) == [1, 3])
        #expect(kept.map(\.body) == [.binary([0x01, 1]), .binary([0x01, 2])])
        let hone = try await store.messages(in: RoomID("r"), for: DeviceID("B"), after: 0, through: 10, limit: 10)
        #expect(hone.count == 1)
    }
}
