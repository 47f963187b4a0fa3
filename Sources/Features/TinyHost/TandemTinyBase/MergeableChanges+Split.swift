/// Cutting changes into pieces that each fit a message budget. Every piece is itself valid
/// changes (cells and values merge one by one, so any subset of stamped leaves merges to the same
/// result as the whole once all pieces arrived); the union of the pieces is the whole.
extension MergeableChanges {
    /// UTF-8 bytes of `WireCodec.json(self)` (`[tables, values, 1]`), counted without writing
    /// it: an upper bound, exact but for one comma per non-empty object.
    package var wireSize: Int {
        var size = Self.emptySize + Self.stampSize(tablesHLC) + Self.stampSize(valuesHLC)
        for (tableID, table) in tables {
            size += Self.containerSize(tableID, table.hlc)
            for (rowID, row) in table.rows {
                size += Self.containerSize(rowID, row.hlc)
                for (cellID, cell) in row.cells { size += Self.leafSize(cellID, cell) }
            }
        }
        for (valueID, value) in values { size += Self.leafSize(valueID, value) }
        return size
    }

    /// Pieces whose `wireSize` is at most `maxBytes` each (the first at most `firstMaxBytes`, when
    /// given), in table, row, cell, then value order. A single leaf larger than the budget is a
    /// piece of its own, over the budget: it cannot be cut. Never empty: changes with nothing in
    /// them are one empty piece.
    package func pieces(maxBytes: Int, firstMaxBytes: Int? = nil) -> [MergeableChanges] {
        cut(maxBytes: maxBytes, firstMaxBytes: firstMaxBytes ?? maxBytes, onlyFirst: false)
    }

    private func cut(maxBytes: Int, firstMaxBytes: Int, onlyFirst: Bool) -> [MergeableChanges] {
        var cutter = Cutter(maxBytes: maxBytes, firstMaxBytes: firstMaxBytes, onlyFirst: onlyFirst)
        cutter.piece.tablesHLC = tablesHLC
        cutter.size += Self.stampSize(tablesHLC)
        for tableID in tables.keys.sorted() where !cutter.done {
            let table = tables[tableID]!
            var tableInPiece = false
            if table.rows.isEmpty {
                cutter.add(Self.containerSize(tableID, table.hlc)) { $0.tables[tableID] = TableChanges(hlc: table.hlc) }
            }
            for rowID in table.rows.keys.sorted() where !cutter.done {
                let row = table.rows[rowID]!
                var rowInPiece = false
                // Container stamps travel with the first piece holding their container.
                func enter(_ leafSize: Int, _ leaf: (inout RowChanges) -> Void) {
                    let entry = { (tableInPiece: Bool, rowInPiece: Bool) in
                        leafSize + (tableInPiece ? 0 : Self.containerSize(tableID, table.hlc))
                            + (rowInPiece ? 0 : Self.containerSize(rowID, row.hlc))
                    }
                    if cutter.needsNewPiece(for: entry(tableInPiece, rowInPiece)) {
                        cutter.flush()
                        if cutter.done { return }
                        tableInPiece = false
                        rowInPiece = false
                    }
                    cutter.size += entry(tableInPiece, rowInPiece)
                    // In place: copying a table out and back would copy its rows each time.
                    leaf(
                        &cutter.piece.tables[tableID, default: TableChanges(hlc: table.hlc)].rows[
                            rowID, default: RowChanges(hlc: row.hlc)])
                    cutter.leaves += 1
                    tableInPiece = true
                    rowInPiece = true
                }
                if row.cells.isEmpty { enter(0) { _ in } }
                for cellID in row.cells.keys.sorted() where !cutter.done {
                    let cell = row.cells[cellID]!
                    enter(Self.leafSize(cellID, cell)) { $0.cells[cellID] = cell }
                }
            }
        }
        if !valuesHLC.isEmpty { cutter.add(Self.stampSize(valuesHLC)) { $0.valuesHLC = valuesHLC } }
        for valueID in values.keys.sorted() where !cutter.done {
            let value = values[valueID]!
            cutter.add(Self.leafSize(valueID, value)) { $0.values[valueID] = value }
        }
        if !cutter.done { cutter.flush() }
        return cutter.pieces.isEmpty ? [MergeableChanges()] : cutter.pieces
    }

    /// The first piece of at most `maxBytes` and everything else (which keeps the container
    /// stamps too: they only rise, so sending one twice changes nothing).
    package func split(firstMaxBytes maxBytes: Int) -> (first: MergeableChanges, rest: MergeableChanges) {
        let first = cut(maxBytes: maxBytes, firstMaxBytes: maxBytes, onlyFirst: true)[0]
        // The first piece is small: taking its leaves out is cheaper than building the rest.
        var rest = self
        for (tableID, table) in first.tables {
            for (rowID, row) in table.rows {
                for cellID in row.cells.keys { rest.tables[tableID]?.rows[rowID]?.cells[cellID] = nil }
                if rest.tables[tableID]?.rows[rowID]?.cells.isEmpty == true { rest.tables[tableID]?.rows[rowID] = nil }
            }
            if rest.tables[tableID]?.rows.isEmpty == true { rest.tables[tableID] = nil }
        }
        for valueID in first.values.keys { rest.values[valueID] = nil }
        if first.tablesHLC == tablesHLC { rest.tablesHLC = "" }
        if first.valuesHLC == valuesHLC { rest.valuesHLC = "" }
        return (first, rest)
    }

    private struct Cutter {
        let maxBytes: Int
        let firstMaxBytes: Int
        /// Stop once the first piece is full.
        let onlyFirst: Bool
        var done = false
        var pieces: [MergeableChanges] = []
        var piece = MergeableChanges()
        var size = MergeableChanges.emptySize
        /// Leaves (and bare containers) in `piece`: a piece with none takes any entry, however large.
        var leaves = 0

        init(maxBytes: Int, firstMaxBytes: Int, onlyFirst: Bool) {
            self.maxBytes = maxBytes
            self.firstMaxBytes = firstMaxBytes
            self.onlyFirst = onlyFirst
        }

        func needsNewPiece(for entrySize: Int) -> Bool {
            leaves > 0 && size + entrySize > (pieces.isEmpty ? firstMaxBytes : maxBytes)
        }

        mutating func add(_ entrySize: Int, _ put: (inout MergeableChanges) -> Void) {
            guard !done else { return }
            if needsNewPiece(for: entrySize) { flush() }
            guard !done else { return }
            size += entrySize
            put(&piece)
            leaves += 1
        }

        mutating func flush() {
            guard leaves > 0 || (pieces.isEmpty && !piece.isEmpty) else { return }
            pieces.append(piece)
            done = onlyFirst
            piece = MergeableChanges()
            size = MergeableChanges.emptySize
            leaves = 0
        }
    }

    /// `[[{}],[{}],1]`.
    static let emptySize = 13

    /// `,"<hlc>"` after a container's object, when its stamp is not empty.
    static func stampSize(_ hlc: String) -> Int {
        hlc.isEmpty ? 0 : hlc.utf8.count + 3
    }

    /// `"id":[{}],` or `"id":[{},"<hlc>"],` around a table's rows or a row's cells.
    static func containerSize(_ id: String, _ hlc: String) -> Int {
        JavaScriptJSON.stringSize(id) + 6 + stampSize(hlc)
    }

    /// `"id":[<value>],` or `"id":[<value>,"<hlc>"],`.
    static func leafSize(_ id: String, _ leaf: LeafStamp) -> Int {
        let value =
            switch leaf.value {
            case .string(let string): JavaScriptJSON.stringSize(string)
            case .number(let number): JavaScriptJSON.number(number).utf8.count
            case .bool(let bool): bool ? 4 : 5
            case .null: 4
            case nil: 5  // "\u{FFFC}": three bytes in quotes
            }
        return JavaScriptJSON.stringSize(id) + value + 4 + stampSize(leaf.hlc)
    }
}

/// Sizes and cuts of the hash trees in diff requests and answers.
package enum HashTreeSize {
    /// UTF-8 bytes of `{"id":hash,…}`, at most (a trailing comma counted).
    package static func of(_ hashes: [String: UInt32]) -> Int {
        hashes.reduce(2) { $0 + entry($1.key) }
    }

    /// UTF-8 bytes of `{"table":{"row":hash,…},…}`, at most.
    package static func of(_ hashes: MergeableStore.RowHashes) -> Int {
        hashes.reduce(2) { $0 + JavaScriptJSON.stringSize($1.key) + 2 + of($1.value) }
    }

    /// `"id":4294967295,`: an id with the longest hash.
    static func entry(_ id: String) -> Int { JavaScriptJSON.stringSize(id) + 12 }

    /// The hashes that fit in `maxBytes` (by id order), and the ids of the rest.
    package static func fitting(_ hashes: [String: UInt32], maxBytes: Int) -> (kept: [String: UInt32], rest: [String]) {
        var size = 2
        var kept: [String: UInt32] = [:]
        var rest: [String] = []
        for id in hashes.keys.sorted() {
            size += entry(id)
            if size <= maxBytes { kept[id] = hashes[id] } else { rest.append(id) }
        }
        return (kept, rest)
    }

    /// The row hashes that fit in `maxBytes` (by table, then row), and the (table, row) ids of the rest.
    package static func fitting(_ hashes: MergeableStore.RowHashes, maxBytes: Int) -> (
        kept: MergeableStore.RowHashes, rest: [(table: String, row: String)]
    ) {
        var size = 2
        var kept: MergeableStore.RowHashes = [:]
        var rest: [(table: String, row: String)] = []
        for tableID in hashes.keys.sorted() {
            let rows = hashes[tableID]!
            var tableSize = JavaScriptJSON.stringSize(tableID) + 4
            for rowID in rows.keys.sorted() {
                let rowSize = entry(rowID)
                if size + tableSize + rowSize <= maxBytes {
                    kept[tableID, default: [:]][rowID] = rows[rowID]
                    size += tableSize + rowSize
                    tableSize = 0
                } else {
                    rest.append((tableID, rowID))
                }
            }
        }
        return (kept, rest)
    }

    /// Row hashes in groups of whole tables, each group at most `maxBytes` unless one table alone
    /// is larger (a GetRowDiff cannot list part of a table: the answer would hold every row left out).
    package static func groups(_ hashes: MergeableStore.RowHashes, maxBytes: Int) -> [MergeableStore.RowHashes] {
        var groups: [MergeableStore.RowHashes] = []
        var group: MergeableStore.RowHashes = [:]
        var size = 2
        for tableID in hashes.keys.sorted() {
            let tableSize = JavaScriptJSON.stringSize(tableID) + 2 + of(hashes[tableID]!)
            if !group.isEmpty, size + tableSize > maxBytes {
                groups.append(group)
                group = [:]
                size = 2
            }
            group[tableID] = hashes[tableID]
            size += tableSize
        }
        if !group.isEmpty { groups.append(group) }
        return groups
    }

    /// Cell hashes in groups of whole rows, each group at most `maxBytes` unless one row alone is
    /// larger (a GetCellDiff answers only for the rows it lists, so rows may be asked apart).
    package static func groups(_ hashes: MergeableStore.CellHashes, maxBytes: Int) -> [MergeableStore.CellHashes] {
        var groups: [MergeableStore.CellHashes] = []
        var group: MergeableStore.CellHashes = [:]
        var size = 2
        for tableID in hashes.keys.sorted() {
            let rows = hashes[tableID]!
            let tableSize = JavaScriptJSON.stringSize(tableID) + 4
            for rowID in rows.keys.sorted() {
                let rowSize = JavaScriptJSON.stringSize(rowID) + 2 + of(rows[rowID]!)
                let entrySize = rowSize + (group[tableID] == nil ? tableSize : 0)
                if !group.isEmpty, size + entrySize > maxBytes {
                    groups.append(group)
                    group = [:]
                    size = 2
                }
                size += rowSize + (group[tableID] == nil ? tableSize : 0)
                group[tableID, default: [:]][rowID] = rows[rowID]
            }
        }
        if !group.isEmpty { groups.append(group) }
        return groups
    }
}
