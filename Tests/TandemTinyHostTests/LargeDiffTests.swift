import Foundation
import Logging
import TandemConnection
import TandemTinyBase
import TandemTinyBaseTestSupport
import TandemTinyHost
import Testing

/// A store larger than `maxSendBytes` reaches a late joiner in messages under the budget.
@Suite struct LargeDiffTests {
    static let budget = 8 * 1024

    /// 3 tables of 400 rows (about 140 KB on the wire) and a value larger than the budget.
    static func content() -> MergeableChanges {
        var changes = MergeableChanges()
        let now = Int64(Date().timeIntervalSince1970 * 1000) - 60_000
        for row in 0..<1_200 {
            let hlc = HLC.encode(time: now, counter: Int64(row), clientID: "abcde")
            changes.tables["t\(row % 3)", default: TableChanges()].rows["row-\(row)"] = RowChanges(cells: [
                "text": LeafStamp(.string("row \(row) ✓ " + String(repeating: "·", count: row % 40)), hlc: hlc),
                "n": LeafStamp(.number(Double(row)), hlc: hlc),
            ])
        }
        let hlc = HLC.encode(time: now, counter: 5_000, clientID: "abcde")
        changes.values["small"] = LeafStamp(.bool(true), hlc: hlc)
        changes.values["blob"] = LeafStamp(.string(String(repeating: "b", count: 3 * budget)), hlc: hlc)
        return changes
    }

    /// The server's frames, read: (frame text, request id, message).
    static func read(_ text: String) throws -> (String?, SyncMessage) {
        let newline = try #require(text.firstIndex(of: "\n"))
        #expect(text[..<newline] == "S")
        return try SyncFrame.message(fromJSON: #require(JSONValue.parse(text[text.index(after: newline)...])))
    }

    @Test func aLateJoinerGetsTheWholeStoreInMessagesUnderTheBudget() async throws {
        let storage = CountingStorage()
        let content = Self.content()
        try await storage.save(["big": content])
        var expected = MergeableStore()
        expected.merge(content)
        var settings = TinyBaseSyncSettings()
        settings.heartbeatInterval = .zero
        settings.maxSendBytes = Self.budget
        let hub = TinyBaseSyncHub(storage: storage, settings: settings, logger: Logger(label: "test"))
        let endpoint = TinyBaseSyncEndpoint(hub: hub, logger: Logger(label: "test"))
        let (frames, input) = AsyncStream<WireFrame>.makeStream()
        let connection = RecordingConnection()
        let task = Task { await endpoint.serve(storeName: "big", inbound: frames, connection: connection) }
        func waitFor(_ condition: ([String]) -> Bool) async throws {
            for _ in 0..<400 where !condition(connection.texts) { try await Task.sleep(for: .milliseconds(25)) }
        }
        // The joiner's start-up pull, as TinyBase makes it: an empty store asks for every table and value.
        try await waitFor { !$0.isEmpty }
        input.yield(.text(#"S\#n["pull0000001.aaaa",4,{}]"#))
        input.yield(.text(#"S\#n["pull0000001.bbbb",7,{}]"#))
        try await waitFor { $0.contains { $0.contains(#"["pull0000001.bbbb",0,"#) } }
        #expect(!connection.texts.contains { $0.contains(",3,") }, "nothing is pushed while the joiner loads")
        // Its announcement ends the pull: the rest is pushed, then the server pulls from it.
        input.yield(.text(#"\#n["announce001",2,[1,2]]"#))
        try await waitFor { $0.contains { $0.contains(",4,{") } }

        var joiner = MergeableStore()
        var diffs = 0
        var pullSeen = false
        for text in connection.texts {
            #expect(StrictValidator.isValid(frame: text), "\(text.prefix(200))")
            let (id, message) = try Self.read(text)
            if text.utf8.count > Self.budget {
                #expect(text.contains("\"blob\"") && !text.contains("\"small\""), "only the big value goes over")
            }
            switch message {
            case .response(let body):
                if id == "pull0000001.aaaa" {
                    let parts = try #require(body.arrayValue)
                    joiner.merge(try WireCodec.tablesStamp(parts[0]))
                    #expect(parts[1] == .object([:]))
                } else if id == "pull0000001.bbbb" {
                    var values = MergeableChanges()
                    (values.values, values.valuesHLC) = try WireCodec.leaves(body)
                    joiner.merge(values)
                }
            case .contentDiff(let changes):
                #expect(!pullSeen, "every push comes before the server's pull")
                diffs += 1
                joiner.merge(changes)
            case .getTableDiff: pullSeen = true
            default: break
            }
        }
        #expect(diffs > 10)
        #expect(connection.texts.filter { $0.utf8.count > Self.budget }.count == 1)
        #expect(joiner.contentHashes == expected.contentHashes)
        #expect(joiner == expected)
        input.finish()
        await task.value
    }

    @Test func changesRelayedToOtherClientsAreCut() async throws {
        var settings = TinyBaseSyncSettings()
        settings.heartbeatInterval = .zero
        settings.maxSendBytes = Self.budget
        let hub = TinyBaseSyncHub(storage: CountingStorage(), settings: settings, logger: Logger(label: "test"))
        let endpoint = TinyBaseSyncEndpoint(hub: hub, logger: Logger(label: "test"))
        let (frames, input) = AsyncStream<WireFrame>.makeStream()
        let connection = RecordingConnection()
        let task = Task { await endpoint.serve(storeName: "relay", inbound: frames, connection: connection) }
        for _ in 0..<400 where connection.texts.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
        // A manual sync merges a whole store at once; the open socket gets it in pieces.
        let content = Self.content()
        _ = try await hub.manualSync(store: "relay", content: content)
        var expected = MergeableStore()
        expected.merge(content)
        var relayed = MergeableStore()
        for _ in 0..<100 where relayed != expected {
            try await Task.sleep(for: .milliseconds(100))
            relayed = MergeableStore()
            for text in connection.texts {
                if case .contentDiff(let changes) = try Self.read(text).1 { relayed.merge(changes) }
            }
        }
        #expect(relayed == expected)
        let diffs = connection.texts.filter { $0.contains(",3,") }
        #expect(diffs.count > 10)
        #expect(diffs.allSatisfy { StrictValidator.isValid(frame: $0) })
        #expect(diffs.filter { $0.utf8.count > Self.budget }.count == 1)
        input.finish()
        await task.value
    }
}
