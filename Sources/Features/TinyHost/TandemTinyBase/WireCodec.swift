/// Reading and writing the JSON shapes of the sync protocol: stamps, changes, hash trees.
/// Reading is lenient where TinyBase versions differ (stamps of one to three elements, any
/// request id) and strict where TinyBase v9.3+ is (shapes, stamp syntax, hash range).
package enum WireCodec {
    /// A body that breaks the protocol's shapes; the socket is closed with 1007.
    package struct Malformed: Error, Sendable, Equatable {
        package let reason: String
        package init(_ reason: String) { self.reason = reason }
    }

    // MARK: Reading

    /// `[TablesStamp, ValuesStamp]` or `[TablesStamp, ValuesStamp, 1]`.
    package static func changes(_ json: JSONValue) throws(Malformed) -> MergeableChanges {
        guard let parts = json.arrayValue, parts.count == 2 || (parts.count == 3 && parts[2] == .number(1)) else {
            throw Malformed("changes must be [tables, values] or [tables, values, 1]")
        }
        var changes = try tablesStamp(parts[0])
        let (values, valuesHLC) = try leaves(parts[1])
        changes.values = values
        changes.valuesHLC = valuesHLC
        return changes
    }

    /// A TablesStamp (three levels of stamped objects over leaves).
    package static func tablesStamp(_ json: JSONValue) throws(Malformed) -> MergeableChanges {
        var changes = MergeableChanges()
        let (tables, tablesHLC) = try stamp(json)
        guard let tableObjects = tables.objectValue else { throw Malformed("tables must be an object") }
        changes.tablesHLC = tablesHLC
        for (tableID, tableStamp) in tableObjects {
            let (rows, tableHLC) = try stamp(tableStamp)
            guard let rowObjects = rows.objectValue else { throw Malformed("a table must be an object") }
            var table = TableChanges(hlc: tableHLC)
            for (rowID, rowStamp) in rowObjects {
                let (cells, rowHLC) = try leaves(rowStamp)
                table.rows[rowID] = RowChanges(cells: cells, hlc: rowHLC)
            }
            changes.tables[tableID] = table
        }
        return changes
    }

    /// A stamped object of leaves (a row, or the values).
    package static func leaves(_ json: JSONValue) throws(Malformed) -> ([String: LeafStamp], String) {
        let (thing, hlc) = try stamp(json)
        guard let objects = thing.objectValue else { throw Malformed("a row or values must be an object") }
        var leaves: [String: LeafStamp] = [:]
        leaves.reserveCapacity(objects.count)
        for (id, leafStamp) in objects {
            let (value, leafHLC) = try stamp(leafStamp)
            switch CellValue.fromWire(value) {
            case .value(let cell): leaves[id] = LeafStamp(cell, hlc: leafHLC)
            case .deleted: leaves[id] = LeafStamp(nil, hlc: leafHLC)
            case .invalid: throw Malformed("a cell or value must be a string, number, boolean, null, object or array")
            }
        }
        return (leaves, hlc)
    }

    /// `[thing]`, `[thing, hlc]` or (older clients, stored content) `[thing, hlc, hash]`.
    static func stamp(_ json: JSONValue) throws(Malformed) -> (JSONValue, String) {
        guard let parts = json.arrayValue, (1...3).contains(parts.count) else {
            throw Malformed("a stamp must be [thing] or [thing, hlc]")
        }
        guard parts.count > 1 else { return (parts[0], "") }
        guard let hlc = parts[1].stringValue, hlc.isEmpty || HLC.isWellFormed(hlc) else {
            throw Malformed("a stamp's HLC must be empty or 16 characters of the HLC alphabet")
        }
        if parts.count == 3, (try? hash(parts[2])) == nil { throw Malformed("a stamp's hash must be a uint32") }
        return (parts[0], hlc)
    }

    /// An unsigned 32-bit integer.
    package static func hash(_ json: JSONValue) throws(Malformed) -> UInt32 {
        guard let number = json.numberValue, number >= 0, number <= 4_294_967_295, number.rounded() == number else {
            throw Malformed("hashes must be integers from 0 to 4294967295")
        }
        return UInt32(number)
    }

    /// `[tablesHash, valuesHash]`.
    package static func contentHashes(_ json: JSONValue) throws(Malformed) -> (tables: UInt32, values: UInt32) {
        guard let parts = json.arrayValue, parts.count == 2 else {
            throw Malformed("content hashes must be two hashes")
        }
        return (try hash(parts[0]), try hash(parts[1]))
    }

    /// `{id: hash}`.
    package static func hashes(_ json: JSONValue) throws(Malformed) -> [String: UInt32] {
        guard let object = json.objectValue else { throw Malformed("hashes must be an object") }
        var result: [String: UInt32] = [:]
        for (id, value) in object { result[id] = try hash(value) }
        return result
    }

    /// `{tableId: {rowId: hash}}`.
    package static func rowHashes(_ json: JSONValue) throws(Malformed) -> MergeableStore.RowHashes {
        guard let object = json.objectValue else { throw Malformed("row hashes must be an object") }
        var result: MergeableStore.RowHashes = [:]
        for (id, value) in object { result[id] = try hashes(value) }
        return result
    }

    /// `{tableId: {rowId: {cellId: hash}}}`.
    package static func cellHashes(_ json: JSONValue) throws(Malformed) -> MergeableStore.CellHashes {
        guard let object = json.objectValue else { throw Malformed("cell hashes must be an object") }
        var result: MergeableStore.CellHashes = [:]
        for (id, value) in object { result[id] = try rowHashes(value) }
        return result
    }

    // MARK: Writing (as TinyBase v9.5 writes: no hashes, empty stamps left out)

    package static func json(_ changes: MergeableChanges) -> JSONValue {
        .array([tablesJSON(changes), valuesJSON(changes), .number(1)])
    }

    package static func tablesJSON(_ changes: MergeableChanges) -> JSONValue {
        stamped(
            .object(
                changes.tables.mapValues { table in
                    stamped(
                        .object(table.rows.mapValues { row in stamped(leavesJSON(row.cells), row.hlc) }), table.hlc)
                }), changes.tablesHLC)
    }

    package static func valuesJSON(_ changes: MergeableChanges) -> JSONValue {
        stamped(leavesJSON(changes.values), changes.valuesHLC)
    }

    package static func json(_ hashes: [String: UInt32]) -> JSONValue {
        .object(hashes.mapValues { .number(Double($0)) })
    }

    package static func json(_ hashes: MergeableStore.RowHashes) -> JSONValue {
        .object(hashes.mapValues { json($0) })
    }

    package static func json(_ hashes: MergeableStore.CellHashes) -> JSONValue {
        .object(hashes.mapValues { json($0) })
    }

    private static func leavesJSON(_ leaves: [String: LeafStamp]) -> JSONValue {
        .object(leaves.mapValues { stamped($0.value?.json ?? .string(CellValue.undefinedMarker), $0.hlc) })
    }

    private static func stamped(_ thing: JSONValue, _ hlc: String) -> JSONValue {
        hlc.isEmpty ? .array([thing]) : .array([thing, .string(hlc)])
    }
}
