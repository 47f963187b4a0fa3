package import GRDB
package import TandemAuth
import TandemSQLite

/// `AccountStore` on SQLite through GRDB. Every decision (using a link, claiming a login,
/// redeeming a code, the tier check) runs inside one write transaction.
package final class SQLiteAccountStore: AccountStore {
    let pool: DatabasePool

    package init(pool: DatabasePool) {
        self.pool = pool
    }

    // MARK: Magic links

    package func insertMagicLink(_ link: NewMagicLink) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO magic_links (email, tokenHash, loginHash, deviceName, platform, expiresAt, createdAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    link.email, link.tokenHash, link.loginHash, link.deviceName, link.platform, link.expiresAt,
                    link.createdAt,
                ])
        }
    }

    package func consumeMagicLink(tokenHash: String, now: Int64, newUserTier: Tier, claim: Bool) async throws
        -> MagicLinkOutcome
    {
        try await pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, email, loginHash, deviceName, platform, expiresAt, used
                        FROM magic_links WHERE tokenHash = ?
                        """,
                    arguments: [tokenHash])
            else { return .unknown }
            if row["used"] as Bool { return .used }
            if (row["expiresAt"] as Int64) <= now { return .expired }
            let email: String = row["email"]
            let user =
                try Self.user(email: email, in: db)
                ?? Self.createUser(email: email, tier: newUserTier, now: now, in: db)
            try db.execute(
                sql: "UPDATE magic_links SET used = 1, usedAt = ?, userId = ?, claimed = ? WHERE id = ?",
                arguments: [now, user.id, claim, row["id"] as Int64])
            return .consumed(
                user: user, loginHash: row["loginHash"], deviceName: row["deviceName"], platform: row["platform"])
        }
    }

    package func claimLogin(loginHash: String, now: Int64, openedSince: Int64) async throws -> LoginClaim {
        try await pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, expiresAt, used, usedAt, userId, claimed, deviceName, platform
                        FROM magic_links WHERE loginHash = ?
                        """,
                    arguments: [loginHash])
            else { return .unknown }
            if row["claimed"] as Bool { return .claimed }
            guard row["used"] as Bool else {
                let expiresAt: Int64 = row["expiresAt"]
                return expiresAt <= now ? .expired : .pending(expiresAt: expiresAt)
            }
            let usedAt: Int64? = row["usedAt"]
            guard let usedAt, usedAt >= openedSince, let userID = row["userId"] as Int?,
                let user = try Self.user(id: userID, in: db)
            else { return .expired }
            try db.execute(sql: "UPDATE magic_links SET claimed = 1 WHERE id = ?", arguments: [row["id"] as Int64])
            return .ready(user: user, deviceName: row["deviceName"], platform: row["platform"])
        }
    }

    // MARK: Users and subscriptions

    package func createUser(email: String?, tier: Tier, now: Int64) async throws -> UserRecord {
        try await pool.write { db in try Self.createUser(email: email, tier: tier, now: now, in: db) }
    }

    package func user(id: Int) async throws -> UserRecord? {
        try await pool.read { db in try Self.user(id: id, in: db) }
    }

    package func user(email: String) async throws -> UserRecord? {
        try await pool.read { db in try Self.user(email: email, in: db) }
    }

    package func users() async throws -> [UserSummary] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT u.id, u.email, u.createdAt, s.tier, s.expiresAt,
                        (SELECT COUNT(*) FROM devices d WHERE d.userId = u.id) AS devices,
                        (SELECT COUNT(*) FROM projects p WHERE p.userId = u.id) AS projects
                    FROM users u LEFT JOIN subscriptions s ON s.userId = u.id ORDER BY u.id
                    """
            ).map { row in
                UserSummary(
                    user: UserRecord(id: row["id"], email: row["email"], createdAt: row["createdAt"]),
                    subscription: Subscription(
                        tier: (row["tier"] as String?).flatMap(Tier.init(rawValue:)) ?? .free,
                        expiresAt: row["expiresAt"]),
                    devices: row["devices"], projects: row["projects"])
            }
        }
    }

    package func subscription(user: Int) async throws -> Subscription? {
        try await pool.read { db in try Self.subscription(user: user, in: db) }
    }

    package func setSubscription(user: Int, _ subscription: Subscription, now: Int64) async throws -> Bool {
        try await pool.write { db in
            guard try Self.user(id: user, in: db) != nil else { return false }
            try db.execute(
                sql: """
                    INSERT INTO subscriptions (userId, tier, expiresAt, createdAt) VALUES (?, ?, ?, ?)
                    ON CONFLICT(userId) DO UPDATE SET tier = excluded.tier, expiresAt = excluded.expiresAt
                    """,
                arguments: [user, subscription.tier.rawValue, subscription.expiresAt, now])
            return true
        }
    }

    // MARK: Pairing codes and housekeeping

    package func insertPairingCode(codeHash: String, user: Int, expiresAt: Int64, now: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO pairing_codes (userId, codeHash, expiresAt, createdAt) VALUES (?, ?, ?, ?)
                    ON CONFLICT(codeHash) DO NOTHING
                    """,
                arguments: [user, codeHash, expiresAt, now])
            return db.changesCount == 1
        }
    }

    package func redeemPairingCode(codeHash: String, now: Int64) async throws -> PairingOutcome {
        try await pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT id, userId, expiresAt, used FROM pairing_codes WHERE codeHash = ?",
                    arguments: [codeHash])
            else { return .unknown }
            if row["used"] as Bool { return .used }
            if (row["expiresAt"] as Int64) <= now { return .expired }
            try db.execute(sql: "UPDATE pairing_codes SET used = 1 WHERE id = ?", arguments: [row["id"] as Int64])
            return .redeemed(userID: row["userId"])
        }
    }

    package func deleteExpired(before cutoff: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM magic_links WHERE expiresAt < ?", arguments: [cutoff])
            try db.execute(sql: "DELETE FROM pairing_codes WHERE expiresAt < ?", arguments: [cutoff])
        }
    }

    // MARK: Shared queries

    static func createUser(email: String?, tier: Tier, now: Int64, in db: Database) throws -> UserRecord {
        try db.execute(sql: "INSERT INTO users (email, createdAt) VALUES (?, ?)", arguments: [email, now])
        let id = Int(db.lastInsertedRowID)
        try db.execute(
            sql: "INSERT INTO subscriptions (userId, tier, createdAt) VALUES (?, ?, ?)",
            arguments: [id, tier.rawValue, now])
        return UserRecord(id: id, email: email, createdAt: now)
    }

    static func user(id: Int, in db: Database) throws -> UserRecord? {
        try Row.fetchOne(db, sql: "SELECT id, email, createdAt FROM users WHERE id = ?", arguments: [id]).map {
            UserRecord(id: $0["id"], email: $0["email"], createdAt: $0["createdAt"])
        }
    }

    static func user(email: String, in db: Database) throws -> UserRecord? {
        try Row.fetchOne(db, sql: "SELECT id, email, createdAt FROM users WHERE email = ?", arguments: [email]).map {
            UserRecord(id: $0["id"], email: $0["email"], createdAt: $0["createdAt"])
        }
    }

    static func subscription(user: Int, in db: Database) throws -> Subscription? {
        try Row.fetchOne(db, sql: "SELECT tier, expiresAt FROM subscriptions WHERE userId = ?", arguments: [user])
            .map { row in
                Subscription(tier: Tier(rawValue: row["tier"]) ?? .free, expiresAt: row["expiresAt"])
            }
    }
}
