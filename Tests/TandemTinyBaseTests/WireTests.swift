import Testing

@testable import TandemTinyBase

@Suite struct WireTests {
    @Test func heartbeatFrameAsTheReferenceServerSendsIt() {
        var changes = MergeableChanges()
        changes.values["heartbeat"] = LeafStamp(.number(42), hlc: "P7I2c_5----J4Wd4")
        let frame = SyncFrame(peer: "S", requestID: "8v9NF546jcv", message: .contentDiff(changes))
        #expect(frame.text == #"S"# + "\n" + #"["8v9NF546jcv",3,[[{}],[{"heartbeat":[42,"P7I2c_5----J4Wd4"]}],1]]"#)
    }

    @Test func decodesEveryMessageAClientSends() throws {
        var decoder = PayloadDecoder()
        let cases: [(String, SyncMessage)] = [
            (#"["ySDLqO3hZfI.BU9P",1,""]"#, .getContentHashes),
            (#"["OOy9k5A-rpb",2,[57657506,0]]"#, .contentHashes(tables: 57_657_506, values: 0)),
            (#"["a.b",4,{"t":1}]"#, .getTableDiff(["t": 1])),
            (#"["a.c",5,{"t":{"r":2}}]"#, .getRowDiff(["t": ["r": 2]])),
            (#"["a.d",6,{"t":{"r":{"c":3}}}]"#, .getCellDiff(["t": ["r": ["c": 3]]])),
            (#"[null,7,{}]"#, .getValueDiff([:])),
        ]
        for (json, message) in cases {
            let decoded = try #require(try decoder.decode("\n" + json))
            #expect(decoded.peer == "" && decoded.message == message)
        }
        let diff = try #require(
            try decoder.decode(
                "S\n" + #"["x",3,[[{"t":[{"r":[{"c":["￼","P7I2ZJw----zPvVU"],"d":[{"a":1}]}]}]}],[{}],1]]"#))
        guard case .contentDiff(let changes) = diff.message else {
            Issue.record("not a diff")
            return
        }
        #expect(changes.tables["t"]?.rows["r"]?.cells["c"] == LeafStamp(nil, hlc: "P7I2ZJw----zPvVU"))
        #expect(changes.tables["t"]?.rows["r"]?.cells["d"] == LeafStamp(.string("\u{FFFD}{\"a\":1}"), hlc: ""))
        #expect(diff.requestID == "x")
    }

    @Test(arguments: [
        "no newline", "\nnot json", "\n[1,2]", #"\n["x",9,""]"#, #"\n["x",1,"nonempty"]"#, #"\n[1,1,""]"#,
        #"\n["x",2,[1,-1]]"#, #"\n["x",2,[1,4294967296]]"#, #"\n["x",4,{"t":1.5}]"#,
        #"\n["x",3,[[{"t":[{"r":[{"c":[1,"short"]}]}]}],[{}],1]]"#, #"\n["x",3,[[{}],[{}],2]]"#,
        #"\n["x",3,[[{"t":[{"r":[{"c":[1,"P7I2ZJw----zPvVU",1,2]}]}]}],[{}]]]"#, #"\n["x",1.5,""]"#,
    ])
    func refusesWhatTinyBaseRefuses(payload: String) {
        var decoder = PayloadDecoder()
        #expect(throws: PayloadDecoder.Failure.self) { try decoder.decode(payload) }
    }

    @Test func reassemblesFragmentsInAnyOrder() throws {
        var decoder = PayloadDecoder()
        let json = #"["tx.abcd",7,{"open":123}]"#
        let chunks = [String(json.prefix(10)), String(json.dropFirst(10).prefix(10)), String(json.dropFirst(20))]
        let id = "Md9ImRSiyprAe43Z"
        #expect(try decoder.decode("\n\(id)\n2\n3\n\(chunks[2])") == nil)
        #expect(try decoder.decode("\n\(id)\n0\n3\n\(chunks[0])") == nil)
        let whole = try #require(try decoder.decode("\n\(id)\n1\n3\n\(chunks[1])"))
        #expect(whole.message == .getValueDiff(["open": 123]) && whole.requestID == "tx.abcd")
        #expect(throws: PayloadDecoder.Failure.overflow) { try decoder.decode("\n\(id)\n0\n1001\nx") }
        #expect(throws: PayloadDecoder.Failure.self) { try decoder.decode("\n\(id)\n3\n3\nx") }
    }

    @Test func incompleteFragmentsExpire() throws {
        var decoder = PayloadDecoder()
        decoder.maxBuffers = 1
        let start = ContinuousClock.now
        #expect(try decoder.decode("\nAAAAAAAAAAAAAAAA\n0\n2\n[", now: start) == nil)
        #expect(throws: PayloadDecoder.Failure.overflow) {
            try decoder.decode("\nBBBBBBBBBBBBBBBB\n0\n2\n[", now: start)
        }
        #expect(try decoder.decode("\nBBBBBBBBBBBBBBBB\n0\n2\n[", now: start + .seconds(11)) == nil)
    }

    @Test func contentForManualSyncRoundTrips() throws {
        let store = try MergeableStoreTests.referenceStore()
        let text = JavaScriptJSON.stringify(store.contentJSON)
        var copy = MergeableStore()
        copy.merge(try WireCodec.changes(try #require(JSONValue.parse(Substring(text)))))
        #expect(copy.contentHashes == store.contentHashes)
        #expect(text.contains(#""tags":[["a",{"b":1}],"P7I34LY---4xXm-p",679044859]"#))
        #expect(text.contains(#""price":[null,"P7I34aA----xXm-p",490674107]"#))
    }
}
