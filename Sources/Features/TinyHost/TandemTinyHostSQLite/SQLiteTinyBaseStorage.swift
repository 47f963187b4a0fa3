package import GRDB
import TandemSQLite
package import TandemTinyBase
import TandemTinyHost

/// `TinyBaseStoreStorage` on SQLite (migration "v6 tinybase stores").
package struct SQLiteTinyBaseStorage: TinyBaseStoreStorage {
    private let pool: DatabasePool

    package init(pool: DatabasePool) {
        self.pool = pool
    }

    package func loadStore(named name: String) async throws -> MergeableChanges {
        try await pool.read { db in
            var changes = MergeableChanges()
            let cells = try Row.fetchCursor(
                db, sql: "SELECT tableId, rowId, cellId, value, hlc FROM tinybase_cell WHERE store = ?",
                arguments: [name])
            while let row = try cells.next() {
                let stamp = try Self.leaf(row["value"], hlc: row["hlc"])
                changes.tables[row["tableId"], default: TableChanges()].rows[row["rowId"], default: RowChanges()]
                    .cells[row["cellId"]] = stamp
            }
            let values = try Row.fetchCursor(
                db, sql: "SELECT valueId, value, hlc FROM tinybase_value WHERE store = ?", arguments: [name])
            while let row = try values.next() {
                changes.values[row["valueId"]] = try Self.leaf(row["value"], hlc: row["hlc"])
            }
            let stamps = try Row.fetchCursor(
                db, sql: "SELECT level, tableId, rowId, hlc FROM tinybase_stamp WHERE store = ?", arguments: [name])
            while let row = try stamps.next() {
                let hlc: String = row["hlc"]
                switch row["level"] as String {
                case "tables": changes.tablesHLC = hlc
                case "values": changes.valuesHLC = hlc
                case "table": changes.tables[row["tableId"], default: TableChanges()].hlc = hlc
                default:
                    changes.tables[row["tableId"], default: TableChanges()].rows[row["rowId"], default: RowChanges()]
                        .hlc = hlc
                }
            }
            return changes
        }
    }

    package func save(_ changes: [String: MergeableChanges]) async throws {
        try await pool.write { db in
            let cell = try db.cachedStatement(
                sql:
                    "INSERT OR REPLACE INTO tinybase_cell (store, tableId, rowId, cellId, value, hlc) VALUES (?, ?, ?, ?, ?, ?)"
            )
            let value = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO tinybase_value (store, valueId, value, hlc) VALUES (?, ?, ?, ?)")
            let stamp = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO tinybase_stamp (store, level, tableId, rowId, hlc) VALUES (?, ?, ?, ?, ?)")
            for (store, storeChanges) in changes {
                if !storeChanges.tablesHLC.isEmpty {
                    try stamp.execute(arguments: [store, "tables", "", "", storeChanges.tablesHLC])
                }
                if !storeChanges.valuesHLC.isEmpty {
                    try stamp.execute(arguments: [store, "values", "", "", storeChanges.valuesHLC])
                }
                for (tableID, table) in storeChanges.tables {
                    if !table.hlc.isEmpty { try stamp.execute(arguments: [store, "table", tableID, "", table.hlc]) }
                    for (rowID, row) in table.rows {
                        if !row.hlc.isEmpty { try stamp.execute(arguments: [store, "row", tableID, rowID, row.hlc]) }
                        for (cellID, leaf) in row.cells {
                            try cell.execute(arguments: [store, tableID, rowID, cellID, Self.text(leaf), leaf.hlc])
                        }
                    }
                }
                for (valueID, leaf) in storeChanges.values {
                    try value.execute(arguments: [store, valueID, Self.text(leaf), leaf.hlc])
                }
            }
        }
    }

    /// Deletes a store's content (its user was deleted).
    package func deleteStore(named name: String) async throws {
        try await pool.write { db in
            for table in ["tinybase_cell", "tinybase_value", "tinybase_stamp"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE store = ?", arguments: [name])
            }
        }
    }

    private static func text(_ leaf: LeafStamp) -> String? {
        leaf.value.map { JavaScriptJSON.stringify($0.json) }
    }

    private static func leaf(_ text: String?, hlc: String) throws -> LeafStamp {
        guard let text else { return LeafStamp(nil, hlc: hlc) }
        guard let json = JSONValue.parse(Substring(text)), case .value(let value) = CellValue.fromWire(json) else {
            throw CorruptLeaf(text: text)
        }
        return LeafStamp(value, hlc: hlc)
    }

    struct CorruptLeaf: Error, CustomStringConvertible {
        let text: String
        var description: String { "a stored TinyBase leaf is not JSON: \(text.prefix(80))" }
    }
}
