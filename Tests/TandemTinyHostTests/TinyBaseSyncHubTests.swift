import Foundation
import Logging
import Synchronization
import TandemConnection
import TandemTinyBase
import TandemTinyHost
import Testing

/// Storage that counts transactions and keeps what was written.
final class CountingStorage: TinyBaseStoreStorage {
    private let state = Mutex<(saves: Int, written: [String: MergeableChanges])>((0, [:]))

    var saves: Int { state.withLock { $0.saves } }

    func written(_ name: String) -> MergeableChanges? { state.withLock { $0.written[name] } }

    func loadStore(named name: String) async throws -> MergeableChanges {
        state.withLock { $0.written[name] } ?? MergeableChanges()
    }

    func save(_ changes: [String: MergeableChanges]) async throws {
        state.withLock { state in
            state.saves += 1
            for (name, storeChanges) in changes { state.written[name, default: MergeableChanges()].add(storeChanges) }
        }
    }
}

/// Frames a socket was sent.
final class RecordingConnection: WireConnection {
    private let frames = Mutex<[String]>([])
    private let closes = Mutex<[UInt16]>([])

    var texts: [String] { frames.withLock { $0 } }
    var closeCodes: [UInt16] { closes.withLock { $0 } }

    func send(_ frame: WireFrame) async throws {
        if case .text(let text) = frame { frames.withLock { $0.append(text) } }
    }

    func close(code: UInt16, reason: String) async throws { closes.withLock { $0.append(code) } }

    func abort() {}
}

@Suite struct TinyBaseSyncHubTests {
    static func diff(_ row: Int) -> String {
        var changes = MergeableChanges()
        let hlc = HLC.encode(time: Int64(Date().timeIntervalSince1970 * 1000), counter: Int64(row), clientID: "abcde")
        changes.tables["t"] = TableChanges(rows: [
            "r\(row)": RowChanges(cells: ["n": LeafStamp(.number(Double(row)), hlc: hlc)])
        ])
        return SyncFrame(peer: "", requestID: "tx\(row)", message: .contentDiff(changes)).text
    }

    @Test func aBurstOfChangesIsWrittenInFewTransactionsAndRelayed() async throws {
        let storage = CountingStorage()
        var settings = TinyBaseSyncSettings()
        settings.heartbeatInterval = .zero
        // Changes arriving within half a second share a transaction (the default is 50 ms; a loaded
        // test machine may take seconds to process the burst).
        settings.saveDelay = .milliseconds(500)
        let hub = TinyBaseSyncHub(storage: storage, settings: settings, logger: Logger(label: "test"))
        let endpoint = TinyBaseSyncEndpoint(hub: hub, logger: Logger(label: "test"))
        let (writerFrames, writerInput) = AsyncStream<WireFrame>.makeStream()
        let (readerFrames, readerInput) = AsyncStream<WireFrame>.makeStream()
        let writer = RecordingConnection()
        let reader = RecordingConnection()
        let readerTask = Task { await endpoint.serve(storeName: "user-1", inbound: readerFrames, connection: reader) }
        // The server greets a socket it has attached with its content hashes.
        for _ in 0..<400 where reader.texts.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        let writerTask = Task { await endpoint.serve(storeName: "user-1", inbound: writerFrames, connection: writer) }
        for row in 0..<300 { writerInput.yield(.text(Self.diff(row))) }
        for _ in 0..<400 where reader.texts.filter({ $0.contains(",3,") }).count < 300 {
            try await Task.sleep(for: .milliseconds(50))
        }
        writerInput.finish()
        readerInput.finish()
        await writerTask.value
        await readerTask.value

        #expect(storage.saves >= 1 && storage.saves <= 30, "\(storage.saves) transactions for 300 changes")
        #expect(storage.written("user-1")?.tables["t"]?.rows.count == 300)
        let relayed = reader.texts.filter { $0.hasPrefix("S\n") && $0.contains(",3,") }
        #expect(relayed.count == 300)
        #expect(writer.texts.allSatisfy { !$0.contains(",3,") }, "changes are not echoed to their sender")
        #expect(await hub.openStoreCount == 0)
    }

    @Test func reloadedStoreHasTheSameHashes() async throws {
        let storage = CountingStorage()
        let hub = TinyBaseSyncHub(storage: storage, logger: Logger(label: "test"))
        let endpoint = TinyBaseSyncEndpoint(hub: hub, logger: Logger(label: "test"))
        let (frames, input) = AsyncStream<WireFrame>.makeStream()
        let connection = RecordingConnection()
        let task = Task { await endpoint.serve(storeName: "user-2", inbound: frames, connection: connection) }
        let diffs = (0..<20).map { Self.diff($0) }
        var expected = MergeableStore()
        var decoder = PayloadDecoder()
        for diff in diffs {
            input.yield(.text(diff))
            if case .contentDiff(let changes) = try decoder.decode(diff)?.message { expected.merge(changes) }
        }
        var live = try await hub.contentHashes(store: "user-2")
        for _ in 0..<400 where live != expected.contentHashes {
            try await Task.sleep(for: .milliseconds(50))
            live = try await hub.contentHashes(store: "user-2")
        }
        #expect(live == expected.contentHashes)
        input.finish()
        await task.value
        #expect(await hub.openStoreCount == 0)
        let reloaded = try await hub.contentHashes(store: "user-2")
        #expect(live == reloaded && live.tables != 0)
    }

    @Test func malformedFrameClosesWith1007() async throws {
        let hub = TinyBaseSyncHub(storage: CountingStorage(), logger: Logger(label: "test"))
        let endpoint = TinyBaseSyncEndpoint(hub: hub, logger: Logger(label: "test"))
        let (frames, input) = AsyncStream<WireFrame>.makeStream()
        let connection = RecordingConnection()
        let task = Task { await endpoint.serve(storeName: "user-3", inbound: frames, connection: connection) }
        input.yield(.text("no separator"))
        try await Task.sleep(for: .milliseconds(100))
        input.finish()
        await task.value
        #expect(connection.closeCodes == [1007])
    }
}
