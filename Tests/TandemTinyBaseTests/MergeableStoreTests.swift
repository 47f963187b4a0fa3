import Testing

@testable import TandemTinyBase

/// Vectors are TinyBase v9.5.1's own output (a store built by `createMergeableStore('server-uid')`
/// with a fixed clock, printed by Node).
@Suite struct MergeableStoreTests {
    static let content = #"""
        [[{"pets":[{"fido":[{"species":["dog","P7I34LY----xXm-p",1063289367],"legs":[4,"P7I34LY---0xXm-p",537560160],"price":["￼","P7I34aA----xXm-p",490674107]},"",382224882],"felix":[{"species":["cat","P7I34LY---2xXm-p",1228870338],"sold":[false,"P7I34LY---3xXm-p",4206082978],"tags":[["a",{"b":1}],"P7I34LY---4xXm-p",679044859],"nothing":[null,"P7I34LY---5xXm-p",2819921668]},"",883240362]},"",3700143635]},"",1107778881],[{"open":[true,"P7I34aA---0xXm-p",1020359149],"motto":["a/b \"q\" é","P7I34aA---1xXm-p",4032503271],"big":[1e+21,"P7I34aA---2xXm-p",3186036179]},"",4055803985]]
        """#

    static func referenceStore() throws -> MergeableStore {
        var store = MergeableStore()
        store.merge(try WireCodec.changes(try #require(JSONValue.parse(Substring(content)))))
        return store
    }

    @Test func everyHashMatchesTinyBase() throws {
        let store = try Self.referenceStore()
        #expect(store.contentHashes == (1_107_778_881, 4_055_803_985))
        #expect(store.tableHashes == ["pets": 3_700_143_635])
        #expect(store.rowHashes(differingFrom: ["pets": 1]) == ["pets": ["fido": 382_224_882, "felix": 883_240_362]])
        let felix = try #require(store.tables["pets"]?.rows["felix"])
        #expect(felix.cells["tags"]?.hash == 679_044_859)
        #expect(felix.cells["tags"]?.value == .string("\u{FFFD}[\"a\",{\"b\":1}]"))
        #expect(felix.cells["nothing"]?.hash == 2_819_921_668)
        #expect(
            store.tables["pets"]?.rows["fido"]?.cells["price"]
                == HashedLeaf(value: nil, hlc: "P7I34aA----xXm-p", hash: 490_674_107))
        #expect(store.values["big"]?.hash == 3_186_036_179)
        #expect(store.values["motto"]?.hash == 4_032_503_271)
    }

    @Test func persistedExampleFromTheReference() throws {
        let text =
            #"[[{"t":[{"r":[{"c":["x","P7I2cYV----pg9YI",3315449761]},"",967706165]},"",548988428]},"",2466682641],[{"heartbeat":[42,"P7I2c_5----J4Wd4",411858989]},"",4063854425]]"#
        var store = MergeableStore()
        store.merge(try WireCodec.changes(try #require(JSONValue.parse(Substring(text)))))
        #expect(store.contentHashes == (2_466_682_641, 4_063_854_425))
        #expect(store.tables["t"]?.hash == 548_988_428)
        #expect(store.tables["t"]?.rows["r"]?.hash == 967_706_165)
    }

    @Test func cellDiffAsTinyBaseAnswersIt() throws {
        let store = try Self.referenceStore()
        let diff = store.cellDiff(["pets": ["fido": ["legs": 0]]])
        let text = JavaScriptJSON.stringify(WireCodec.tablesJSON(diff))
        #expect(
            text
                == #"[{"pets":[{"fido":[{"legs":[4,"P7I34LY---0xXm-p"],"price":["￼","P7I34aA----xXm-p"],"species":["dog","P7I34LY----xXm-p"]}]}]}]"#
        )
    }

    @Test func lastWriterWinsAndEqualStampsKeepTheLocalValue() throws {
        var store = MergeableStore()
        store.merge(Self.cell("t", "r", "c", .string("old"), "P7I34LY----aaaaa"))
        let newer = store.merge(Self.cell("t", "r", "c", .string("new"), "P7I34LY---0aaaaa"))
        #expect(newer.tables["t"]?.rows["r"]?.cells["c"]?.value == .string("new"))
        let older = store.merge(Self.cell("t", "r", "c", .string("older"), "P7I34LY----aaaaa"))
        #expect(older.isEmpty)
        let equal = store.merge(Self.cell("t", "r", "c", .string("rival"), "P7I34LY---0aaaaa"))
        #expect(equal.isEmpty)
        #expect(store.tables["t"]?.rows["r"]?.cells["c"]?.value == .string("new"))
    }

    @Test func mergeOrderDoesNotChangeTheResult() throws {
        let a = Self.cell("t", "r", "c", .number(1), "P7I34LY----aaaaa")
        let b = Self.cell("t", "r", "c", nil, "P7I34LY---0bbbbb")
        let c = Self.cell("t", "r2", "d", .bool(true), "P7I34LY---1ccccc")
        var first = MergeableStore()
        var second = MergeableStore()
        for changes in [a, b, c] { first.merge(changes) }
        for changes in [c, b, a, b] { second.merge(changes) }
        #expect(first == second)
        #expect(first.tables["t"]?.rows["r"]?.cells["c"]?.value == nil)
    }

    @Test func hashesAreTheSameWhenContentIsRebuiltFromItsOwnChanges() throws {
        let store = try Self.referenceStore()
        var copy = MergeableStore()
        copy.merge(store.allChanges)
        #expect(copy == store)
    }

    static func cell(_ table: String, _ row: String, _ cell: String, _ value: CellValue?, _ hlc: String)
        -> MergeableChanges
    {
        var changes = MergeableChanges()
        changes.tables[table] = TableChanges(rows: [row: RowChanges(cells: [cell: LeafStamp(value, hlc: hlc)])])
        return changes
    }
}
