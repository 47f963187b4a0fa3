/// A TinyBase MergeableStore's content with its hashes: the server's copy of one sync group.
/// Merging follows TinyBase exactly (last writer by HLC wins per cell and value, equal stamps keep
/// the local one, container stamps only rise), and hashes are kept the way TinyBase keeps them,
/// so content hashes agree with every client's.
package struct MergeableStore: Sendable, Equatable {
    package private(set) var tables: [String: TableNode] = [:]
    package private(set) var tablesHLC = ""
    package private(set) var tablesHash: UInt32 = 0
    package private(set) var values: [String: HashedLeaf] = [:]
    package private(set) var valuesHLC = ""
    package private(set) var valuesHash: UInt32 = 0

    package init() {}

    /// `[tablesHash, valuesHash]`, what GetContentHashes answers.
    package var contentHashes: (tables: UInt32, values: UInt32) { (tablesHash, valuesHash) }

    /// Merges changes and returns the part that won (what other peers have not seen from here).
    /// Callers validate stamps first (`MergeableChanges` parsing refuses future ones).
    @discardableResult
    package mutating func merge(_ changes: MergeableChanges) -> MergeableChanges {
        var applied = MergeableChanges()
        var newTablesHash = tablesHash
        for (tableID, incomingTable) in changes.tables {
            var table = tables[tableID] ?? TableNode()
            let oldTableHash = table.hash
            var tableHash = table.hash
            var appliedTable = TableChanges()
            for (rowID, incomingRow) in incomingTable.rows {
                var row = table.rows[rowID] ?? RowNode()
                let oldRowHash = row.hash
                let appliedRow = Self.mergeLeaves(
                    incomingRow.cells, containerHLC: incomingRow.hlc, into: &row.cells, hlc: &row.hlc,
                    hash: &row.hash)
                table.rows[rowID] = row
                tableHash ^= (oldRowHash != 0 ? Self.term(rowID, oldRowHash) : 0) ^ Self.term(rowID, row.hash)
                if !appliedRow.cells.isEmpty || !appliedRow.hlc.isEmpty { appliedTable.rows[rowID] = appliedRow }
            }
            tableHash ^= Self.replaceHLCHash(old: table.hlc, new: incomingTable.hlc)
            if incomingTable.hlc > table.hlc {
                table.hlc = incomingTable.hlc
                appliedTable.hlc = incomingTable.hlc
            }
            table.hash = tableHash
            tables[tableID] = table
            newTablesHash ^=
                (oldTableHash != 0 ? Self.term(tableID, oldTableHash) : 0) ^ Self.term(tableID, table.hash)
            if !appliedTable.rows.isEmpty || !appliedTable.hlc.isEmpty { applied.tables[tableID] = appliedTable }
        }
        newTablesHash ^= Self.replaceHLCHash(old: tablesHLC, new: changes.tablesHLC)
        if changes.tablesHLC > tablesHLC {
            tablesHLC = changes.tablesHLC
            applied.tablesHLC = changes.tablesHLC
        }
        tablesHash = newTablesHash
        let appliedValues = Self.mergeLeaves(
            changes.values, containerHLC: changes.valuesHLC, into: &values, hlc: &valuesHLC, hash: &valuesHash)
        applied.values = appliedValues.cells
        applied.valuesHLC = appliedValues.hlc
        return applied
    }

    /// Merges leaves into one container (a row, or the values), keeping its hash as TinyBase
    /// does: each leaf's term replaced (`term(id, 0)` standing in for a new leaf's old term).
    private static func mergeLeaves(
        _ incoming: [String: LeafStamp], containerHLC: String, into leaves: inout [String: HashedLeaf],
        hlc: inout String, hash: inout UInt32
    ) -> RowChanges {
        var applied = RowChanges()
        for (id, stamp) in incoming {
            let old = leaves[id]
            let oldHLC = old?.hlc ?? ""
            guard oldHLC.isEmpty || stamp.hlc > oldHLC else { continue }
            let leafHash = stamp.hash
            leaves[id] = HashedLeaf(value: stamp.value, hlc: max(oldHLC, stamp.hlc), hash: leafHash)
            hash ^= term(id, old?.hash ?? 0) ^ term(id, leafHash)
            applied.cells[id] = stamp
        }
        hash ^= replaceHLCHash(old: hlc, new: containerHLC)
        if containerHLC > hlc {
            hlc = containerHLC
            applied.hlc = containerHLC
        }
        return applied
    }

    /// `H(id + ":" + hash)`, a child's contribution to its parent's hash.
    static func term(_ id: String, _ hash: UInt32) -> UInt32 {
        FNV1a.hash(id + ":" + String(hash))
    }

    /// The hash change when a container's stamp rises from `old` to `new`.
    static func replaceHLCHash(old: String, new: String) -> UInt32 {
        guard new > old else { return 0 }
        return (old.isEmpty ? 0 : FNV1a.hash(old)) ^ FNV1a.hash(new)
    }
}

/// A stored leaf: value (nil = deleted), stamp and hash.
package struct HashedLeaf: Sendable, Equatable {
    package var value: CellValue?
    package var hlc: String
    package var hash: UInt32

    package var stamp: LeafStamp { LeafStamp(value, hlc: hlc) }
}

package struct RowNode: Sendable, Equatable {
    package var cells: [String: HashedLeaf] = [:]
    package var hlc = ""
    package var hash: UInt32 = 0
}

package struct TableNode: Sendable, Equatable {
    package var rows: [String: RowNode] = [:]
    package var hlc = ""
    package var hash: UInt32 = 0
}
