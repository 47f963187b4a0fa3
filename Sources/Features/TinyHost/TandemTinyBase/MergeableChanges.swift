/// A set of stamped cells and values, the body of a ContentDiff and of diff responses: tables of
/// rows of cells, and values, each container with its own stamp (usually empty).
package struct MergeableChanges: Sendable, Equatable {
    package var tables: [String: TableChanges] = [:]
    package var tablesHLC = ""
    package var values: [String: LeafStamp] = [:]
    package var valuesHLC = ""

    package init() {}

    package var isEmpty: Bool {
        tables.isEmpty && values.isEmpty && tablesHLC.isEmpty && valuesHLC.isEmpty
    }

    /// The latest stamp in the changes, for a clock to move past (and to spot future stamps).
    package var latestHLC: String {
        var latest = max(tablesHLC, valuesHLC)
        for table in tables.values {
            latest = max(latest, table.hlc)
            for row in table.rows.values {
                latest = max(latest, row.hlc)
                for cell in row.cells.values { latest = max(latest, cell.hlc) }
            }
        }
        for value in values.values { latest = max(latest, value.hlc) }
        return latest
    }

    /// Adds `other`'s stamps (later container stamps win; leaves are replaced).
    package mutating func add(_ other: MergeableChanges) {
        tablesHLC = max(tablesHLC, other.tablesHLC)
        valuesHLC = max(valuesHLC, other.valuesHLC)
        for (tableID, table) in other.tables {
            var mine = tables[tableID] ?? TableChanges()
            mine.hlc = max(mine.hlc, table.hlc)
            for (rowID, row) in table.rows {
                var mineRow = mine.rows[rowID] ?? RowChanges()
                mineRow.hlc = max(mineRow.hlc, row.hlc)
                mineRow.cells.merge(row.cells) { _, new in new }
                mine.rows[rowID] = mineRow
            }
            tables[tableID] = mine
        }
        values.merge(other.values) { _, new in new }
    }
}

package struct TableChanges: Sendable, Equatable {
    package var rows: [String: RowChanges] = [:]
    package var hlc = ""
    package init(rows: [String: RowChanges] = [:], hlc: String = "") {
        self.rows = rows
        self.hlc = hlc
    }
}

package struct RowChanges: Sendable, Equatable {
    package var cells: [String: LeafStamp] = [:]
    package var hlc = ""
    package init(cells: [String: LeafStamp] = [:], hlc: String = "") {
        self.cells = cells
        self.hlc = hlc
    }
}
