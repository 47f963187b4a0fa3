import GRDB
package import TandemSQLite

/// The accounts tables of the Hone auth service's schema, in camelCase, with cascades from users.
/// Secrets are stored only as SHA-256 hashes (`tokenHash`, `loginHash`, `codeHash`); times are
/// milliseconds since 1970.
package enum AccountsSchema {
    /// The accounts schema steps, under the names they were released with.
    package static let migrations: [SQLiteMigration] = [SQLiteMigration("v4 accounts", migrate: create)]

    static func create(_ db: Database) throws {
        try db.create(table: "users") { t in
            t.autoIncrementedPrimaryKey("id")
            // NULL for quick-setup accounts; SQLite lets several rows share NULL under UNIQUE.
            t.column("email", .text).unique()
            t.column("createdAt", .integer).notNull()
        }
        try db.create(table: "devices") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("userId", .integer).notNull().indexed().references("users", onDelete: .cascade)
            t.column("deviceName", .text).notNull()
            t.column("platform", .text).notNull()
            t.column("tokenHash", .text).notNull().unique()
            t.column("createdAt", .integer).notNull()
            t.column("lastSeen", .integer).notNull()
        }
        try db.create(table: "magic_links") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("email", .text).notNull()
            t.column("tokenHash", .text).notNull().unique()
            t.column("loginHash", .text).notNull().unique()
            t.column("deviceName", .text)
            t.column("platform", .text)
            t.column("expiresAt", .integer).notNull().indexed()
            t.column("used", .boolean).notNull().defaults(to: false)
            t.column("usedAt", .integer)
            // The account the link signed in, once used.
            t.column("userId", .integer).references("users", onDelete: .cascade)
            // Whether a device token was handed out for this login.
            t.column("claimed", .boolean).notNull().defaults(to: false)
            t.column("createdAt", .integer).notNull()
        }
        try db.create(table: "projects") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("userId", .integer).notNull().references("users", onDelete: .cascade)
            t.column("projectKey", .text).notNull()
            t.column("name", .text).notNull()
            t.column("roomId", .text).notNull().unique()
            t.column("createdAt", .integer).notNull()
            t.uniqueKey(["userId", "projectKey"])
        }
        try db.create(table: "subscriptions") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("userId", .integer).notNull().unique().references("users", onDelete: .cascade)
            t.column("tier", .text).notNull().defaults(to: "free")
                .check { ["free", "personal", "pro", "team"].contains($0) }
            t.column("expiresAt", .integer)
            t.column("createdAt", .integer).notNull()
        }
        try db.create(table: "pairing_codes") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("userId", .integer).notNull().indexed().references("users", onDelete: .cascade)
            t.column("codeHash", .text).notNull().unique()
            t.column("expiresAt", .integer).notNull().indexed()
            t.column("used", .boolean).notNull().defaults(to: false)
            t.column("createdAt", .integer).notNull()
        }
    }
}
