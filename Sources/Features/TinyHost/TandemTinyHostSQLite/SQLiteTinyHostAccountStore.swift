package import GRDB
import TandemSQLite
package import TandemTinyHost

/// `TinyHostAccountStore` on SQLite through GRDB; shares the relay's `DatabasePool`.
package final class SQLiteTinyHostAccountStore: TinyHostAccountStore {
    let pool: DatabasePool

    package init(pool: DatabasePool) {
        self.pool = pool
    }

    package func insertUser(_ user: NewTinyHostUser) async throws -> TinyHostUser? {
        try await pool.write { db in
            // The unique (namespace, email) key decides races between two sign-ups.
            try db.execute(
                sql: """
                    INSERT INTO tinyhost_users (namespace, email, passwordHash, storeName, createdAt)
                    VALUES (?, ?, ?, ?, ?) ON CONFLICT (namespace, email) DO NOTHING
                    """,
                arguments: [user.namespace, user.email, user.passwordHash, user.storeName, user.createdAt])
            guard db.changesCount == 1 else { return nil }
            return TinyHostUser(
                id: db.lastInsertedRowID, namespace: user.namespace, email: user.email,
                createdAt: TinyHostTime.date(millis: user.createdAt), storeName: user.storeName)
        }
    }

    package func credentials(namespace: String, email: String) async throws -> TinyHostCredentials? {
        try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT id, namespace, email, storeName, createdAt, passwordHash
                    FROM tinyhost_users WHERE namespace = ? AND email = ?
                    """,
                arguments: [namespace, email]
            ).map { TinyHostCredentials(user: Self.user($0), passwordHash: $0["passwordHash"]) }
        }
    }

    package func updatePasswordHash(user: Int64, passwordHash: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE tinyhost_users SET passwordHash = ? WHERE id = ?", arguments: [passwordHash, user])
        }
    }

    package func insertSession(_ session: NewTinyHostSession, maxPerUser: Int) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO tinyhost_sessions (tokenHash, userId, createdAt, expiresAt) VALUES (?, ?, ?, ?)",
                arguments: [session.tokenHash, session.userID, session.createdAt, session.expiresAt])
            // Ids grow with insertion, so the highest ids are the newest sessions.
            try db.execute(
                sql: """
                    DELETE FROM tinyhost_sessions WHERE userId = ? AND id NOT IN (
                        SELECT id FROM tinyhost_sessions WHERE userId = ? ORDER BY id DESC LIMIT ?)
                    """,
                arguments: [session.userID, session.userID, maxPerUser])
        }
    }

    package func session(tokenHash: String) async throws -> (session: TinyHostSession, user: TinyHostUser)? {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT s.createdAt AS sessionCreatedAt, s.expiresAt, s.data,
                            u.id, u.namespace, u.email, u.storeName, u.createdAt
                        FROM tinyhost_sessions s JOIN tinyhost_users u ON u.id = s.userId
                        WHERE s.tokenHash = ?
                        """,
                    arguments: [tokenHash])
            else { return nil }
            let session = TinyHostSession(
                createdAt: TinyHostTime.date(millis: row["sessionCreatedAt"]),
                expiresAt: TinyHostTime.date(millis: row["expiresAt"]), data: row["data"])
            return (session, Self.user(row))
        }
    }

    package func deleteSession(tokenHash: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM tinyhost_sessions WHERE tokenHash = ?", arguments: [tokenHash])
            return db.changesCount > 0
        }
    }

    package func deleteSessions(expiredAt now: Int64) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM tinyhost_sessions WHERE expiresAt <= ?", arguments: [now])
            return db.changesCount
        }
    }

    private static func user(_ row: Row) -> TinyHostUser {
        TinyHostUser(
            id: row["id"], namespace: row["namespace"], email: row["email"],
            createdAt: TinyHostTime.date(millis: row["createdAt"]), storeName: row["storeName"])
    }
}
