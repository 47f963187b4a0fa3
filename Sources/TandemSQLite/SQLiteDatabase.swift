import GRDB
import TandemCore

/// Opens Tandem's SQLite file in WAL mode and brings its schema up to date.
public enum SQLiteDatabase {
    /// Opens (creating if needed) the database at `path` and runs every pending migration.
    public static func open(path: String, durability: Durability = .commit) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            switch durability {
            case .commit:
                // In WAL mode a commit survives a process crash; fsync happens at checkpoints.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            case .fsync:
                // Every commit is flushed to disk before it returns.
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
        }
        configuration.busyMode = .timeout(5)
        let pool = try DatabasePool(path: path, configuration: configuration)
        try migrator.migrate(pool)
        return pool
    }

    /// Append-only list of schema migrations. Never edit a registered one; add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 room logs") { db in
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
        }
        migrator.registerMigration("v2 room log kinds") { db in
            // 'history' logs expire with retention; 'state' logs (CRDT patches) only shrink by compaction.
            try db.alter(table: "room") { t in
                t.add(column: "kind", .text).notNull().defaults(to: RoomLogKind.history.rawValue)
            }
        }
        migrator.registerMigration("v4 accounts", migrate: AccountsSchema.create)
        return migrator
    }
}
