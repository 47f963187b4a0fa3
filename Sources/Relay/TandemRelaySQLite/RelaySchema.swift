import GRDB
import TandemRelay
public import TandemSQLite

/// The relay's tables: rooms and their message logs.
public enum RelaySchema {
    /// The relay's schema steps, under the names they were released with.
    public static let migrations: [SQLiteMigration] = [
        SQLiteMigration("v1 room logs") { db in
            try db.create(table: "room") { t in
                t.primaryKey("roomId", .text)
                t.column("lastSeq", .integer).notNull()
                t.column("epoch", .text).notNull()
                t.column("prunedThrough", .integer).notNull().defaults(to: 0)
                t.column("createdAt", .integer).notNull()
            }
            try db.create(table: "message", options: [.withoutRowID]) { t in
                t.column("roomId", .text).notNull()
                t.column("seq", .integer).notNull()
                t.column("sender", .text).notNull()
                // NULL for a broadcast, else the device the message was addressed to.
                t.column("recipient", .text)
                t.column("isBinary", .boolean).notNull()
                t.column("body", .blob).notNull()
                t.column("createdAt", .integer).notNull()
                // The sender's own id for the message, for acknowledgements and retries.
                t.column("clientID", .text)
                t.primaryKey(["roomId", "seq"])
            }
            try db.create(index: "message_createdAt", on: "message", columns: ["createdAt"])
            try db.create(
                index: "message_clientID", on: "message", columns: ["roomId", "sender", "seq"],
                condition: Column("clientID") != nil)
        },
        SQLiteMigration("v2 room log kinds") { db in
            // 'history' logs expire with retention; 'state' logs (CRDT patches) only shrink by compaction.
            try db.alter(table: "room") { t in
                t.add(column: "kind", .text).notNull().defaults(to: RoomLogKind.history.rawValue)
            }
        },
    ]
}
