import GRDB
import TandemRelay
package import TandemSQLite

/// The SDS value blobs, one row per store and hash; and the move of the values that earlier versions
/// kept in the relay log as a store's "snapshot".
package enum SDSBlobSchema {
    /// The SDS schema steps, under the names they were released with. `v7 sds blobs` moves value rows out of the relay's message table, so it runs after the relay's steps.
    package static let migrations: [SQLiteMigration] = [SQLiteMigration("v7 sds blobs", migrate: create)]

    static func create(_ db: Database) throws {
        try db.create(table: "sds_blob", options: [.withoutRowID]) { t in
            t.column("store", .text).notNull()
            t.column("hash", .blob).notNull()
            // Before the bytes, so totals are read without the blobs' overflow pages.
            t.column("size", .integer).notNull()
            t.column("storedAt", .integer).notNull()
            t.column("bytes", .blob).notNull()
            t.primaryKey(["store", "hash"])
        }
        // A stored VALUE frame (type 0x02, a 32-byte hash, the value) in an SDS room becomes that
        // store's blob. Patches the old compaction already deleted cannot be brought back; every
        // patch still stored stays.
        let prefix = RoomID(namespace: "sds", name: "").rawValue
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO sds_blob (store, hash, bytes, size, storedAt)
                SELECT substr(roomId, ?), substr(body, 2, 32), substr(body, 34), length(body) - 33, createdAt
                FROM message
                WHERE substr(roomId, 1, ?) = ? AND isBinary AND length(body) >= 33 AND substr(body, 1, 1) = x'02'
                ORDER BY roomId, seq
                """,
            arguments: [prefix.count + 1, prefix.count, prefix])
        try db.execute(
            sql: """
                DELETE FROM message
                WHERE substr(roomId, 1, ?) = ? AND isBinary AND length(body) >= 33 AND substr(body, 1, 1) = x'02'
                """,
            arguments: [prefix.count, prefix])
    }
}
