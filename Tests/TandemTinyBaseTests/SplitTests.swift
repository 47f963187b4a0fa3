import TandemTinyBaseTestSupport
import Testing

@testable import TandemTinyBase

/// Cutting changes and hash trees into pieces under a budget.
@Suite struct SplitTests {
    /// Tables of rows of varied cells: unicode, escapes, deletions, encoded objects, container stamps.
    static func sample(rows: Int = 300) -> MergeableChanges {
        var changes = MergeableChanges()
        changes.tablesHLC = HLC.encode(time: 1_700_000_000_000, counter: 0, clientID: "abcde")
        for row in 0..<rows {
            let hlc = HLC.encode(time: 1_700_000_000_000 + Int64(row), counter: Int64(row % 7), clientID: "abcde")
            let table = "table \(row % 3) é"
            var cells: [String: LeafStamp] = [
                "title": LeafStamp(
                    .string("row \(row) \"quoted\" \\ ✓ 😀 \n" + String(repeating: "x", count: row % 50)), hlc: hlc),
                "n": LeafStamp(.number(Double(row) / 3), hlc: hlc),
                "done": LeafStamp(.bool(row.isMultiple(of: 2)), hlc: hlc),
            ]
            if row.isMultiple(of: 5) { cells["gone"] = LeafStamp(nil, hlc: hlc) }
            if row.isMultiple(of: 11) { cells["obj"] = LeafStamp(.string("\u{FFFD}{\"a\":[1,2]}"), hlc: hlc) }
            changes.tables[table, default: TableChanges(hlc: row % 3 == 1 ? hlc : "")].rows["r\(row)"] =
                RowChanges(cells: cells, hlc: row.isMultiple(of: 13) ? hlc : "")
        }
        changes.tables["empty table"] = TableChanges(
            hlc: HLC.encode(time: 1_700_000_000_001, counter: 0, clientID: "abcde"))
        changes.valuesHLC = HLC.encode(time: 1_700_000_000_002, counter: 0, clientID: "abcde")
        for value in 0..<40 {
            changes.values["v\(value)"] = LeafStamp(
                .string(String(repeating: "ü", count: value)),
                hlc: HLC.encode(time: 1_700_000_000_000, counter: Int64(value), clientID: "fghij"))
        }
        return changes
    }

    static func text(_ changes: MergeableChanges) -> String {
        SyncFrame(peer: "S", requestID: "abcdefghijk", message: .contentDiff(changes)).text
    }

    static func leafCount(_ changes: MergeableChanges) -> Int {
        changes.values.count + changes.tables.values.reduce(0) { $0 + $1.rows.values.reduce(0) { $0 + $1.cells.count } }
    }

    @Test(arguments: [600, 2_000, 20_000])
    func piecesFitAreValidAndAddUpToTheWhole(budget: Int) throws {
        let whole = Self.sample()
        let pieces = whole.pieces(maxBytes: budget)
        if budget < 20_000 { #expect(pieces.count > 5) }
        var union = MergeableChanges()
        var merged = MergeableStore()
        for piece in pieces {
            let written = JavaScriptJSON.stringify(WireCodec.json(piece)).utf8.count
            #expect(written <= piece.wireSize)
            #expect(piece.wireSize <= budget)
            #expect(StrictValidator.isValid(frame: Self.text(piece)), "\(Self.text(piece).prefix(300))")
            #expect(try WireCodec.changes(WireCodec.json(piece)) == piece, "reads back as written")
            union.add(piece)
            merged.merge(piece)
        }
        #expect(union == whole)
        #expect(pieces.map(Self.leafCount).reduce(0, +) == Self.leafCount(whole), "no leaf sent twice")
        var expected = MergeableStore()
        expected.merge(whole)
        #expect(merged == expected)
        #expect(merged.contentHashes == expected.contentHashes)
    }

    @Test func wireSizeBoundsTheWrittenSize() {
        let whole = Self.sample()
        let written = JavaScriptJSON.stringify(WireCodec.json(whole)).utf8.count
        #expect(written <= whole.wireSize && whole.wireSize < written + written / 20)
        #expect(MergeableChanges().wireSize == JavaScriptJSON.stringify(WireCodec.json(MergeableChanges())).utf8.count)
    }

    @Test func aLeafLargerThanTheBudgetGoesAlone() {
        var changes = MergeableChanges()
        let hlc = HLC.encode(time: 1_700_000_000_000, counter: 0, clientID: "abcde")
        changes.tables["t"] = TableChanges(rows: [
            "a": RowChanges(cells: ["small": LeafStamp(.number(1), hlc: hlc)]),
            "b": RowChanges(cells: ["big": LeafStamp(.string(String(repeating: "x", count: 5_000)), hlc: hlc)]),
            "c": RowChanges(cells: ["small": LeafStamp(.number(2), hlc: hlc)]),
        ])
        let pieces = changes.pieces(maxBytes: 1_000)
        #expect(pieces.count == 3)
        #expect(pieces[1].tables["t"]?.rows.keys.sorted() == ["b"])
        #expect(pieces[1].wireSize > 5_000)
        #expect(pieces.filter { $0.wireSize > 1_000 }.count == 1)
    }

    @Test(arguments: ["", "plain", "é ✓ 😀", "\"\\/", "\u{0}\u{1f}\n\t\r\u{8}\u{c}\u{7f}", "\u{2028}\u{FFFC}"])
    func stringSizeIsTheWrittenSize(string: String) {
        #expect(JavaScriptJSON.stringSize(string) == JavaScriptJSON.string(string).utf8.count)
    }

    @Test func emptyChangesAreOneEmptyPiece() {
        #expect(MergeableChanges().pieces(maxBytes: 100) == [MergeableChanges()])
        var stampsOnly = MergeableChanges()
        stampsOnly.tablesHLC = HLC.encode(time: 1_700_000_000_000, counter: 0, clientID: "abcde")
        #expect(stampsOnly.pieces(maxBytes: 100) == [stampsOnly])
    }

    @Test func firstPieceAndRest() {
        let whole = Self.sample()
        let (first, rest) = whole.split(firstMaxBytes: 3_000)
        #expect(first.wireSize <= 3_000 && !first.isEmpty)
        var union = first
        union.add(rest)
        #expect(union == whole)
        #expect(Self.leafCount(first) + Self.leafCount(rest) == Self.leafCount(whole))
        let (all, nothing) = whole.split(firstMaxBytes: 10_000_000)
        #expect(all == whole && nothing.isEmpty)
    }

    @Test func hashTreesAreGroupedByWholeTablesAndRows() {
        var store = MergeableStore()
        store.merge(Self.sample(rows: 900))
        let rowHashes = store.rowHashes(differingFrom: store.tableHashes.mapValues { $0 ^ 1 })
        let rowGroups = HashTreeSize.groups(rowHashes, maxBytes: 8_000)
        #expect(rowGroups.count > 1)
        var rowUnion: MergeableStore.RowHashes = [:]
        for group in rowGroups {
            #expect(JavaScriptJSON.stringify(WireCodec.json(group)).utf8.count <= HashTreeSize.of(group))
            for (table, rows) in group {
                #expect(rowUnion[table] == nil && rows == rowHashes[table], "whole tables")
                rowUnion[table] = rows
            }
        }
        #expect(rowUnion == rowHashes)

        let cellHashes = store.cellHashes(differingFrom: rowHashes.mapValues { $0.mapValues { $0 ^ 1 } })
        let cellGroups = HashTreeSize.groups(cellHashes, maxBytes: 4_000)
        #expect(cellGroups.count > 10)
        var cellUnion: MergeableStore.CellHashes = [:]
        for group in cellGroups {
            #expect(JavaScriptJSON.stringify(WireCodec.json(group)).utf8.count <= 4_000)
            #expect(StrictValidator.isBodyValid(6, WireCodec.json(group)))
            for (table, rows) in group {
                for (row, cells) in rows {
                    #expect(cellUnion[table]?[row] == nil && cells == cellHashes[table]?[row], "whole rows")
                    cellUnion[table, default: [:]][row] = cells
                }
            }
        }
        #expect(cellUnion == cellHashes)

        let (kept, rest) = HashTreeSize.fitting(rowHashes, maxBytes: 5_000)
        #expect(JavaScriptJSON.stringify(WireCodec.json(kept)).utf8.count <= 5_000)
        #expect(kept.values.reduce(0) { $0 + $1.count } + rest.count == rowHashes.values.reduce(0) { $0 + $1.count })
        for (table, row) in rest { #expect(kept[table]?[row] == nil && rowHashes[table]?[row] != nil) }
    }

    @Test func strictValidatorRefusesWhatTinyBaseRefuses() {
        #expect(
            StrictValidator.isValid(
                frame: #"S\n["x",3,[[{}],[{"v":[1,"P7I34LY----xXm-p"]}],1]]"#.replacingOccurrences(
                    of: "\\n", with: "\n")))
        #expect(
            !StrictValidator.isValid(frame: "S\n[\"x\",3,[[{}],[{\"v\":[1,\"P7I34LY----xXm-p\",123]}],1]]"),
            "hashed stamp")
        #expect(!StrictValidator.isValid(frame: "S\n[\"x\",9,\"\"]"))
        #expect(!StrictValidator.isValid(frame: "no newline"))
        #expect(StrictValidator.isValid(frame: "S\n[null,0,[[{}],{\"t\":5}]]"))
    }
}
