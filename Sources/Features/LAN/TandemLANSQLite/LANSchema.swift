import GRDB
package import TandemSQLite

/// The LAN endpoint's tables: its settings, the computer's list state, paired phones, jots and files.
package enum LANSchema {
    /// The LAN endpoint's schema steps, under the names they were released with.
    package static let migrations: [SQLiteMigration] = [
        SQLiteMigration("v3 lan endpoint") { db in
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
    ]
}
