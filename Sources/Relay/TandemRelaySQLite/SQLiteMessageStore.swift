import Foundation
public import GRDB
public import TandemRelay
import TandemSQLite

/// `MessageStore` on a SQLite file through GRDB: one writer, concurrent readers (WAL), so
/// catch-up reads never wait for live appends.
public final class SQLiteMessageStore: MessageStore {
    private let pool: DatabasePool

    public init(pool: DatabasePool) {
        self.pool = pool
    }

    public func append(_ batch: [RoomMessage]) async throws {
        guard !batch.isEmpty else { return }
        try await pool.write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO message (roomId, seq, sender, recipient, isBinary, body, createdAt, clientID)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            var highest: [String: (seq: UInt64, createdAt: Int64)] = [:]
            for message in batch {
                let recipient: String?
                switch message.addressee {
                case .broadcast: recipient = nil
                case .device(let device): recipient = device.rawValue
                }
                let (isBinary, body): (Bool, Data) =
                    switch message.body {
                    case .text(let text): (false, Data(text.utf8))
                    case .binary(let bytes): (true, Data(bytes))
                    }
                try insert.execute(arguments: [
                    message.room.rawValue, Int64(message.seq), message.sender.rawValue, recipient, isBinary, body,
                    message.createdAt, message.clientID,
                ])
                let room = message.room.rawValue
                if (highest[room]?.seq ?? 0) < message.seq {
                    highest[room] = (message.seq, message.createdAt)
                }
            }
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO room (roomId, lastSeq, epoch, createdAt) VALUES (?, ?, \(Self.newEpoch), ?)
                    ON CONFLICT(roomId) DO UPDATE SET lastSeq = max(lastSeq, excluded.lastSeq)
                    """)
            for (room, latest) in highest {
                try upsert.execute(arguments: [room, Int64(latest.seq), latest.createdAt])
            }
        }
    }

    public func openRoom(_ room: RoomID, kind: RoomLogKind) async throws -> RoomLogState {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO room (roomId, lastSeq, epoch, createdAt, kind)
                    VALUES (?, 0, \(Self.newEpoch), ?, ?)
                    """,
                arguments: [room.rawValue, Int64(Date().timeIntervalSince1970 * 1000), kind.rawValue])
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT lastSeq, epoch, prunedThrough FROM room WHERE roomId = ?",
                    arguments: [room.rawValue])
            else { throw DatabaseError(message: "room row missing after insert") }
            let lastSeq: Int64 = row["lastSeq"]
            let prunedThrough: Int64 = row["prunedThrough"]
            return RoomLogState(lastSeq: UInt64(lastSeq), epoch: row["epoch"], prunedThrough: UInt64(prunedThrough))
        }
    }

    public func recentClientIDs(in room: RoomID, sender: DeviceID, limit: Int) async throws
        -> [(id: String, seq: UInt64)]
    {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT clientID, seq FROM message
                    WHERE roomId = ? AND sender = ? AND clientID IS NOT NULL
                    ORDER BY seq DESC LIMIT ?
                    """,
                arguments: [room.rawValue, sender.rawValue, limit])
            return rows.map { row in
                let seq: Int64 = row["seq"]
                return (row["clientID"], UInt64(seq))
            }
        }
    }

    /// SQL for a fresh, unguessable epoch name: 128 random bits as 32 hex digits.
    static let newEpoch = "lower(hex(randomblob(16)))"

    public func messages(in room: RoomID, for device: DeviceID, after: UInt64, through: UInt64, limit: Int) async throws
        -> [RoomMessage]
    {
        guard through > after, limit > 0 else { return [] }
        return try await pool.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT seq, sender, recipient, isBinary, body, createdAt, clientID FROM message
                    WHERE roomId = ? AND seq > ? AND seq <= ?
                      AND ((recipient IS NULL AND sender <> ?) OR recipient = ?)
                    ORDER BY seq LIMIT ?
                    """,
                arguments: [room.rawValue, Int64(after), Int64(through), device.rawValue, device.rawValue, limit])
            var messages: [RoomMessage] = []
            messages.reserveCapacity(min(limit, 1024))
            // Columns by position (the SELECT's order): a page is up to a thousand rows.
            while let row = try rows.next() {
                let seq: Int64 = row[0]
                let recipient: String? = row[2]
                let isBinary: Bool = row[3]
                let body: Data = row[4]
                messages.append(
                    RoomMessage(
                        room: room,
                        seq: UInt64(seq),
                        sender: DeviceID(row[1]),
                        addressee: recipient.map { .device(DeviceID($0)) } ?? .broadcast,
                        body: isBinary ? .binary([UInt8](body)) : .text(String(decoding: body, as: UTF8.self)),
                        createdAt: row[5], clientID: row[6]))
            }
            return messages
        }
    }

    public func deleteMessages(createdBefore cutoff: Int64) async throws -> [RoomID: UInt64] {
        try await pool.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT message.roomId, MAX(seq) AS seq FROM message JOIN room USING (roomId)
                    WHERE message.createdAt < ? AND room.kind = ? GROUP BY message.roomId
                    """,
                arguments: [cutoff, RoomLogKind.history.rawValue])
            var pruned: [RoomID: UInt64] = [:]
            for row in rows {
                let seq: Int64 = row["seq"]
                pruned[RoomID(row["roomId"])] = UInt64(seq)
                try db.execute(
                    sql: "DELETE FROM message WHERE roomId = ? AND seq <= ?", arguments: [row["roomId"], seq])
                try db.execute(
                    sql: "UPDATE room SET prunedThrough = max(prunedThrough, ?) WHERE roomId = ?",
                    arguments: [seq, row["roomId"]])
            }
            return pruned
        }
    }

    public func compact(_ room: RoomID, before seq: UInt64) async throws {
        guard seq > 1 else { return }
        try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM message WHERE roomId = ? AND seq < ?", arguments: [room.rawValue, Int64(seq)])
            try db.execute(
                sql: "UPDATE room SET prunedThrough = max(prunedThrough, ?) WHERE roomId = ?",
                arguments: [Int64(seq - 1), room.rawValue])
        }
    }
}
