import Foundation
package import GRDB
import TandemSDS
import TandemSQLite

/// `SDSBlobStore` on SQLite (migration "v7 sds blobs").
package struct SQLiteSDSBlobStore: SDSBlobStore {
    private let pool: DatabasePool

    package init(pool: DatabasePool) {
        self.pool = pool
    }

    package func put(store: String, hash: [UInt8], bytes: [UInt8], maxStoreBytes: Int) async throws {
        try await pool.write { db in
            let held =
                try Int.fetchOne(
                    db, sql: "SELECT coalesce(sum(size), 0) FROM sds_blob WHERE store = ? AND hash != ?",
                    arguments: [store, Data(hash)]) ?? 0
            guard held + bytes.count <= maxStoreBytes else { throw SDSBlobError.storeFull(limit: maxStoreBytes) }
            try db.execute(
                sql: "INSERT OR REPLACE INTO sds_blob (store, hash, bytes, size, storedAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    store, Data(hash), Data(bytes), bytes.count, Int64(Date().timeIntervalSince1970 * 1000),
                ])
        }
    }

    package func blob(store: String, hash: [UInt8]) async throws -> [UInt8]? {
        try await pool.read { db in
            try Data.fetchOne(
                db, sql: "SELECT bytes FROM sds_blob WHERE store = ? AND hash = ?", arguments: [store, Data(hash)]
            ).map { [UInt8]($0) }
        }
    }
}
