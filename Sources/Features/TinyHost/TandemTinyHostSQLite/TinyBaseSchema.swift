import GRDB
import TandemSQLite

/// Tables of the server's TinyBase stores: one row per cell, per value and per non-empty
/// container stamp. `value` is the leaf's JSON text, NULL for a deleted leaf.
enum TinyBaseSchema {
    static func create(_ db: Database) throws {
        try db.create(table: "tinybase_cell", options: [.withoutRowID]) { t in
            t.column("store", .text).notNull()
            t.column("tableId", .text).notNull()
            t.column("rowId", .text).notNull()
            t.column("cellId", .text).notNull()
            t.column("value", .text)
            t.column("hlc", .text).notNull()
            t.primaryKey(["store", "tableId", "rowId", "cellId"])
        }
        try db.create(table: "tinybase_value", options: [.withoutRowID]) { t in
            t.column("store", .text).notNull()
            t.column("valueId", .text).notNull()
            t.column("value", .text)
            t.column("hlc", .text).notNull()
            t.primaryKey(["store", "valueId"])
        }
        // level: 'tables', 'values', 'table' (tableId) or 'row' (tableId, rowId).
        try db.create(table: "tinybase_stamp", options: [.withoutRowID]) { t in
            t.column("store", .text).notNull()
            t.column("level", .text).notNull()
            t.column("tableId", .text).notNull().defaults(to: "")
            t.column("rowId", .text).notNull().defaults(to: "")
            t.column("hlc", .text).notNull()
            t.primaryKey(["store", "level", "tableId", "rowId"])
        }
    }
}
