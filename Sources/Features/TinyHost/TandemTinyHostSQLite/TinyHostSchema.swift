import GRDB
package import TandemSQLite

/// TinyHost's tables: users unique per (namespace, email) with Argon2id password hashes, and
/// sessions keyed by the SHA-256 of their UUID. Times are milliseconds since 1970.
package enum TinyHostSchema {
    /// TinyHost's schema steps (accounts, then the users' stores), under the names they were released with.
    package static let migrations: [SQLiteMigration] = [
        SQLiteMigration("v5 tinyhost accounts", migrate: create),
        SQLiteMigration("v6 tinybase stores", migrate: TinyBaseSchema.create),
    ]

    static func create(_ db: Database) throws {
        try db.create(table: "tinyhost_users") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("namespace", .text).notNull()
            t.column("email", .text).notNull()
            t.column("passwordHash", .text).notNull()
            // The user's store (TinyHost's durable_object_name), a random UUID.
            t.column("storeName", .text).notNull().unique()
            t.column("createdAt", .integer).notNull()
            t.uniqueKey(["namespace", "email"])
        }
        try db.create(table: "tinyhost_sessions") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("tokenHash", .text).notNull().unique()
            t.column("userId", .integer).notNull().indexed().references("tinyhost_users", onDelete: .cascade)
            t.column("createdAt", .integer).notNull()
            t.column("expiresAt", .integer).notNull().indexed()
            // Reported as the session's `data`; nothing writes it yet.
            t.column("data", .text)
        }
    }
}
