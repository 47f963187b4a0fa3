/// The hash trees a peer compares and the diffs it answers with (GetTableDiff, GetRowDiff,
/// GetCellDiff, GetValueDiff), computed as TinyBase computes them.
extension MergeableStore {
    package typealias TableHashes = [String: UInt32]
    package typealias RowHashes = [String: [String: UInt32]]
    package typealias CellHashes = [String: [String: [String: UInt32]]]

    package var tableHashes: TableHashes { tables.mapValues(\.hash) }

    package var valueHashes: [String: UInt32] { values.mapValues(\.hash) }

    /// Own row hashes of the tables whose hash differs from `other`'s.
    package func rowHashes(differingFrom other: TableHashes) -> RowHashes {
        var result: RowHashes = [:]
        for (tableID, otherHash) in other {
            guard let table = tables[tableID], table.hash != otherHash else { continue }
            result[tableID] = table.rows.mapValues(\.hash)
        }
        return result
    }

    /// Own cell hashes of the rows whose hash differs from `other`'s.
    package func cellHashes(differingFrom other: RowHashes) -> CellHashes {
        var result: CellHashes = [:]
        for (tableID, otherRows) in other {
            guard let table = tables[tableID] else { continue }
            for (rowID, otherHash) in otherRows {
                guard let row = table.rows[rowID], row.hash != otherHash else { continue }
                result[tableID, default: [:]][rowID] = row.cells.mapValues(\.hash)
            }
        }
        return result
    }

    /// GetTableDiff: whole tables the requester lacks, and own hashes of tables that differ.
    package func tableDiff(_ requester: TableHashes) -> (newTables: MergeableChanges, differing: TableHashes) {
        var newTables = MergeableChanges()
        newTables.tablesHLC = tablesHLC
        var differing: TableHashes = [:]
        for (tableID, table) in tables {
            if let theirs = requester[tableID] {
                if theirs != table.hash { differing[tableID] = table.hash }
            } else {
                newTables.tables[tableID] = table.changes
            }
        }
        return (newTables, differing)
    }

    /// GetRowDiff: whole rows the requester lacks in the listed tables, and own hashes of rows that differ.
    package func rowDiff(_ requester: RowHashes) -> (newRows: MergeableChanges, differing: RowHashes) {
        var newRows = MergeableChanges()
        newRows.tablesHLC = tablesHLC
        var differing: RowHashes = [:]
        for (tableID, theirRows) in requester {
            guard let table = tables[tableID] else { continue }
            for (rowID, row) in table.rows {
                if let theirs = theirRows[rowID] {
                    if theirs != row.hash { differing[tableID, default: [:]][rowID] = row.hash }
                } else {
                    newRows.tables[tableID, default: TableChanges()].rows[rowID] = row.changes
                }
            }
        }
        return (newRows, differing)
    }

    /// GetCellDiff: own cells of the listed rows whose hash differs from (or is missing in) the requester's.
    package func cellDiff(_ requester: CellHashes) -> MergeableChanges {
        var diff = MergeableChanges()
        diff.tablesHLC = tablesHLC
        for (tableID, theirRows) in requester {
            guard let table = tables[tableID] else { continue }
            for (rowID, theirCells) in theirRows {
                guard let row = table.rows[rowID] else { continue }
                for (cellID, cell) in row.cells where theirCells[cellID] != cell.hash {
                    diff.tables[tableID, default: TableChanges(hlc: table.hlc)].rows[
                        rowID, default: RowChanges(hlc: row.hlc)
                    ].cells[cellID] = cell.stamp
                }
            }
        }
        return diff
    }

    /// GetValueDiff: own values whose hash differs from (or is missing in) the requester's.
    package func valueDiff(_ requester: [String: UInt32]) -> MergeableChanges {
        var diff = MergeableChanges()
        diff.valuesHLC = valuesHLC
        for (valueID, value) in values where requester[valueID] != value.hash {
            diff.values[valueID] = value.stamp
        }
        return diff
    }

    /// Everything, as changes (no hashes): what a full merge into another store needs.
    package var allChanges: MergeableChanges {
        var changes = MergeableChanges()
        changes.tablesHLC = tablesHLC
        changes.tables = tables.mapValues(\.changes)
        changes.valuesHLC = valuesHLC
        changes.values = values.mapValues(\.stamp)
        return changes
    }
}

extension TableNode {
    /// The whole table as changes.
    package var changes: TableChanges { TableChanges(rows: rows.mapValues(\.changes), hlc: hlc) }
}

extension RowNode {
    /// The whole row as changes.
    package var changes: RowChanges { RowChanges(cells: cells.mapValues(\.stamp), hlc: hlc) }
}
