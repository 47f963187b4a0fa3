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
        migrator.registerMigration("v3 lan endpoint") { db in
            // Settings the LAN endpoint generates and keeps (the pairing secret).
            try db.create(table: "lan_setting") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            // The computer's list state (JSON of a SyncState), one row keyed 'desktop'.
            try db.create(table: "lan_state") { t in
                t.primaryKey("key", .text)
                t.column("state", .blob).notNull()
                t.column("updatedAt", .integer).notNull()
            }
            // Paired phones; `ancestor` is the JSON SyncState both sides agreed on at the last sync.
            try db.create(table: "lan_device") { t in
                t.primaryKey("deviceId", .text)
                t.column("pairedAt", .integer).notNull()
                t.column("lastSeenAt", .integer).notNull()
                t.column("lastSyncAt", .integer)
                t.column("ancestor", .blob)
            }
            try db.create(table: "lan_jot", options: [.withoutRowID]) { t in
                t.column("deviceId", .text).notNull()
                t.column("jotId", .integer).notNull()
                t.column("meta", .blob).notNull()
                t.column("updatedAt", .integer).notNull()
                t.primaryKey(["deviceId", "jotId"])
            }
            try db.create(table: "lan_file", options: [.withoutRowID]) { t in
                t.column("deviceId", .text).notNull()
                t.column("jotId", .integer).notNull()
                t.column("fileId", .text).notNull()
                t.column("fileType", .text).notNull()
                t.column("format", .text).notNull()
                t.column("sha256", .text).notNull()
                t.column("size", .integer).notNull()
                t.column("receivedAt", .integer).notNull()
                t.primaryKey(["deviceId", "jotId", "fileId"])
            }
        }
        migrator.registerMigration("v4 accounts", migrate: AccountsSchema.create)
        migrator.registerMigration("v5 tinyhost accounts", migrate: TinyHostSchema.create)
        migrator.registerMigration("v6 tinybase stores", migrate: TinyBaseSchema.create)
        migrator.registerMigration("v7 sds blobs", migrate: SDSBlobSchema.create)
        return migrator
    }
}
