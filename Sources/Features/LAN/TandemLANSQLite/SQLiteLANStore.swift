import Foundation
package import GRDB
package import TandemLAN
package import TandemMerge
import TandemSQLite

/// `LANStore` on SQLite: lists state and ancestors as JSON documents, devices, jots and file records as rows.
package struct SQLiteLANStore: LANStore {
    private let pool: DatabasePool
    private static let desktopKey = "desktop"

    package init(pool: DatabasePool) {
        self.pool = pool
    }

    package func setting(_ key: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM lan_setting WHERE key = ?", arguments: [key])
        }
    }

    package func setSetting(_ key: String, _ value: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql:
                    "INSERT INTO lan_setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [key, value])
        }
    }

    package func pair(device: String, at time: Int64) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO lan_device (deviceId, pairedAt, lastSeenAt) VALUES (?, ?, ?)
                    ON CONFLICT(deviceId) DO UPDATE SET lastSeenAt = excluded.lastSeenAt
                    """,
                arguments: [device, time, time])
        }
    }

    package func devices() async throws -> [PairedDevice] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT deviceId, pairedAt, lastSeenAt, lastSyncAt FROM lan_device ORDER BY deviceId"
            ).map { row in
                PairedDevice(
                    deviceId: row["deviceId"], pairedAt: row["pairedAt"], lastSeenAt: row["lastSeenAt"],
                    lastSyncAt: row["lastSyncAt"])
            }
        }
    }

    package func forget(device: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM lan_jot WHERE deviceId = ?", arguments: [device])
            try db.execute(sql: "DELETE FROM lan_file WHERE deviceId = ?", arguments: [device])
            try db.execute(sql: "DELETE FROM lan_device WHERE deviceId = ?", arguments: [device])
            return db.changesCount > 0
        }
    }

    package func desktopState() async throws -> SyncState? {
        let data = try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT state FROM lan_state WHERE key = ?", arguments: [Self.desktopKey])
        }
        return try data.map { try JSONDecoder().decode(SyncState.self, from: $0) }
    }

    package func ancestor(device: String) async throws -> SyncState? {
        let data = try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT ancestor FROM lan_device WHERE deviceId = ?", arguments: [device])
        }
        return try data.map { try JSONDecoder().decode(SyncState.self, from: $0) }
    }

    package func commitSync(device: String, state: SyncState, at time: Int64) async throws {
        let data = try JSONEncoder().encode(state)
        try await pool.write { db in
            try Self.writeDesktop(data, at: time, in: db)
            try Self.writeAncestor(data, device: device, at: time, in: db)
        }
    }

    package func saveDesktopState(_ state: SyncState, at time: Int64) async throws {
        let data = try JSONEncoder().encode(state)
        try await pool.write { db in try Self.writeDesktop(data, at: time, in: db) }
    }

    package func confirmSync(device: String, ancestor: SyncState, at time: Int64) async throws {
        let data = try JSONEncoder().encode(ancestor)
        try await pool.write { db in try Self.writeAncestor(data, device: device, at: time, in: db) }
    }

    private static func writeDesktop(_ state: Data, at time: Int64, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO lan_state (key, state, updatedAt) VALUES (?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET state = excluded.state, updatedAt = excluded.updatedAt
                """,
            arguments: [desktopKey, state, time])
    }

    private static func writeAncestor(_ ancestor: Data, device: String, at time: Int64, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO lan_device (deviceId, pairedAt, lastSeenAt, lastSyncAt, ancestor) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(deviceId) DO UPDATE SET lastSyncAt = excluded.lastSyncAt, ancestor = excluded.ancestor
                """,
            arguments: [device, time, time, time, ancestor])
    }

    package func recordEmptySync(device: String, at time: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE lan_device SET lastSyncAt = ? WHERE deviceId = ?", arguments: [time, device])
        }
    }

    package func saveJot(device: String, meta: JotMeta, at time: Int64) async throws {
        let data = try JSONEncoder().encode(meta)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO lan_jot (deviceId, jotId, meta, updatedAt) VALUES (?, ?, ?, ?)
                    ON CONFLICT(deviceId, jotId) DO UPDATE SET meta = excluded.meta, updatedAt = excluded.updatedAt
                    """,
                arguments: [device, meta.id, data, time])
        }
    }

    package func jots(device: String) async throws -> [JotMeta] {
        let rows = try await pool.read { db in
            try Data.fetchAll(
                db, sql: "SELECT meta FROM lan_jot WHERE deviceId = ? ORDER BY jotId", arguments: [device])
        }
        return try rows.map { try JSONDecoder().decode(JotMeta.self, from: $0) }
    }

    package func saveFile(_ file: StoredJotFile) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO lan_file (deviceId, jotId, fileId, fileType, format, sha256, size, receivedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(deviceId, jotId, fileId) DO UPDATE SET fileType = excluded.fileType,
                        format = excluded.format, sha256 = excluded.sha256, size = excluded.size,
                        receivedAt = excluded.receivedAt
                    """,
                arguments: [
                    file.deviceId, file.jotId, file.fileId, file.fileType, file.format, file.sha256, file.size,
                    file.receivedAt,
                ])
        }
    }

    package func files(device: String) async throws -> [StoredJotFile] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT deviceId, jotId, fileId, fileType, format, sha256, size, receivedAt FROM lan_file
                    WHERE deviceId = ? ORDER BY jotId, fileId
                    """,
                arguments: [device]
            ).map { row in
                StoredJotFile(
                    deviceId: row["deviceId"], jotId: row["jotId"], fileId: row["fileId"], fileType: row["fileType"],
                    format: row["format"], sha256: row["sha256"], size: row["size"], receivedAt: row["receivedAt"])
            }
        }
    }
}
