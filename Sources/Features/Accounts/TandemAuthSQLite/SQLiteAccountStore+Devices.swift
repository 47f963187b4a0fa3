import GRDB
package import TandemAuth
import TandemSQLite

/// Devices and projects.
extension SQLiteAccountStore {
    package func insertDevice(
        user: Int, name: String, platform: String, now: Int64, tokenHash: @Sendable (_ deviceID: Int) -> String
    ) async throws -> DeviceRecord {
        try await pool.write { db in
            // The token names the device id, which exists only after the insert: a unique
            // placeholder holds the column until the real hash replaces it in this transaction.
            try db.execute(
                sql: """
                    INSERT INTO devices (userId, deviceName, platform, tokenHash, createdAt, lastSeen)
                    VALUES (?, ?, ?, 'pending:' || lower(hex(randomblob(16))), ?, ?)
                    """,
                arguments: [user, name, platform, now, now])
            let id = Int(db.lastInsertedRowID)
            try db.execute(sql: "UPDATE devices SET tokenHash = ? WHERE id = ?", arguments: [tokenHash(id), id])
            return DeviceRecord(id: id, userID: user, name: name, platform: platform, createdAt: now, lastSeen: now)
        }
    }

    package func device(tokenHash: String) async throws -> DeviceRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "\(Self.deviceColumns) WHERE tokenHash = ?", arguments: [tokenHash])
                .map(Self.device(from:))
        }
    }

    package func devices(user: Int) async throws -> [DeviceRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "\(Self.deviceColumns) WHERE userId = ? ORDER BY id", arguments: [user])
                .map(Self.device(from:))
        }
    }

    package func deleteDevice(id: Int, user: Int) async throws -> DeviceRecord? {
        try await pool.write { db in
            guard
                let device = try Row.fetchOne(
                    db, sql: "\(Self.deviceColumns) WHERE id = ? AND userId = ?", arguments: [id, user]
                ).map(Self.device(from:))
            else { return nil }
            try db.execute(sql: "DELETE FROM devices WHERE id = ?", arguments: [id])
            return device
        }
    }

    package func touchDevice(id: Int, now: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE devices SET lastSeen = ? WHERE id = ?", arguments: [now, id])
        }
    }

    package func registerProject(
        user: Int, projectKey: String, name: String, roomID: String, now: Int64,
        limit: @Sendable (_ subscription: Subscription) -> (tier: Tier, limit: Int?)
    ) async throws -> ProjectRegistration {
        try await pool.write { db in
            if let existing = try Row.fetchOne(
                db, sql: "\(Self.projectColumns) WHERE userId = ? AND projectKey = ?", arguments: [user, projectKey])
            {
                return .existing(Self.project(from: existing))
            }
            let subscription = try Self.subscription(user: user, in: db) ?? Subscription(tier: .free, expiresAt: nil)
            let (tier, allowed) = limit(subscription)
            if let allowed {
                let count = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM projects WHERE userId = ?", arguments: [user])
                if (count ?? 0) >= allowed { return .overLimit(tier: tier, limit: allowed) }
            }
            try db.execute(
                sql: "INSERT INTO projects (userId, projectKey, name, roomId, createdAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [user, projectKey, name, roomID, now])
            return .created(
                ProjectRecord(
                    id: Int(db.lastInsertedRowID), userID: user, projectKey: projectKey, name: name, roomID: roomID,
                    createdAt: now))
        }
    }

    package func projects(user: Int) async throws -> [ProjectRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "\(Self.projectColumns) WHERE userId = ? ORDER BY id", arguments: [user])
                .map(Self.project(from:))
        }
    }

    package func deleteProject(id: Int, user: Int) async throws -> ProjectRecord? {
        try await pool.write { db in
            guard
                let project = try Row.fetchOne(
                    db, sql: "\(Self.projectColumns) WHERE id = ? AND userId = ?", arguments: [id, user]
                ).map(Self.project(from:))
            else { return nil }
            try db.execute(sql: "DELETE FROM projects WHERE id = ?", arguments: [id])
            return project
        }
    }

    package func ownsRoom(user: Int, roomID: String) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM projects WHERE userId = ? AND roomId = ?)",
                arguments: [user, roomID]) ?? false
        }
    }

    static let deviceColumns = "SELECT id, userId, deviceName, platform, createdAt, lastSeen FROM devices"
    static let projectColumns = "SELECT id, userId, projectKey, name, roomId, createdAt FROM projects"

    static func device(from row: Row) -> DeviceRecord {
        DeviceRecord(
            id: row["id"], userID: row["userId"], name: row["deviceName"], platform: row["platform"],
            createdAt: row["createdAt"], lastSeen: row["lastSeen"])
    }

    static func project(from row: Row) -> ProjectRecord {
        ProjectRecord(
            id: row["id"], userID: row["userId"], projectKey: row["projectKey"], name: row["name"],
            roomID: row["roomId"], createdAt: row["createdAt"])
    }
}
