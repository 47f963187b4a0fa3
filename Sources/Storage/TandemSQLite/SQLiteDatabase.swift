public import GRDB

/// A named step of one feature's schema. A released step is never edited or renamed: a change is a
/// new step. Names are unique across features, since every feature's steps share one table of
/// applied migrations.
public struct SQLiteMigration: Sendable {
    public let name: String
    public let migrate: @Sendable (Database) throws -> Void

    public init(_ name: String, migrate: @escaping @Sendable (Database) throws -> Void) {
        self.name = name
        self.migrate = migrate
    }
}

/// Opens Tandem's SQLite file in WAL mode and brings the schema of the features that use it up to date.
public enum SQLiteDatabase {
    /// Opens (creating if needed) the database at `path` and runs the pending ones of `migrations`,
    /// in order. Steps applied earlier by features not running now are left as they are.
    public static func open(path: String, durability: Durability = .commit, migrations: [SQLiteMigration]) throws
        -> DatabasePool
    {
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
        try migrator(migrations).migrate(pool)
        return pool
    }

    /// Applies the pending ones of `migrations`, in order, to an open database.
    public static func migrate(_ pool: DatabasePool, _ migrations: [SQLiteMigration]) throws {
        try migrator(migrations).migrate(pool)
    }

    /// The migrator that applies `migrations` in order.
    static func migrator(_ migrations: [SQLiteMigration]) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations { migrator.registerMigration(migration.name, migrate: migration.migrate) }
        return migrator
    }
}
