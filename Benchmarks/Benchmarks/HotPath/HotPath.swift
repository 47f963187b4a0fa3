import Benchmark
import Foundation
import Synchronization
import TandemConnection
import TandemRelay
@_spi(Benchmarks) import TandemHone
import TandemRelaySQLite
import TandemSQLite

/// Time and allocations per iteration. (CPU-time and instruction counts need perf events, which this
/// project's machines do not always offer.)
private let metrics: [BenchmarkMetric] = [.wallClock, .mallocCountTotal, .throughput]

/// A 64-byte payload message as the fan-out benchmark sends it.
private let messageText =
    #"{"from":"m1-3","to":"broadcast","room":"bench-1","payload":"t=1732560000000000;m;xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}"#

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: metrics, maxDuration: .seconds(3), maxIterations: 1_000_000)

    Benchmark("Hone: decode a message frame") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(HoneMessage.parse(messageText, device: DeviceID("m1-3"), room: RoomID("bench-1")))
        }
    }

    Benchmark("Hone: decode a message frame carrying its own seq (re-serialized)") { benchmark in
        let text = #"{"from":"m1-3","to":"broadcast","room":"bench-1","seq":5,"payload":"xxxxxxxxxxxxxxxx"}"#
        for _ in benchmark.scaledIterations {
            blackHole(HoneMessage.parse(text, device: DeviceID("m1-3"), room: RoomID("bench-1")))
        }
    }

    Benchmark("Hone: encode the relayed frame (seq and ts)") { benchmark in
        guard
            case .success(let message) = HoneMessage.parse(
                messageText, device: DeviceID("m1-3"), room: RoomID("bench-1"))
        else { fatalError("the benchmark message does not parse") }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            blackHole(message.render(seq: UInt64(index) + 1, createdAt: 1_732_560_000_000))
        }
    }

    Benchmark("Hone: encode an ack frame") { benchmark in
        for index in benchmark.scaledIterations {
            blackHole(HoneFrames.ack(id: "msg-42", seq: UInt64(index)))
        }
    }

    Benchmark("Hone: encode an ack frame whose id needs escaping") { benchmark in
        for index in benchmark.scaledIterations {
            blackHole(HoneFrames.ack(id: #"msg "42""#, seq: UInt64(index)))
        }
    }

    // One iteration: a catch-up page of 1,000 stored messages. Divide by 1,000 for one message.
    Benchmark(
        "Hone: encode a deltas page of 1,000 messages",
        configuration: .init(metrics: metrics, maxDuration: .seconds(3), maxIterations: 100_000)
    ) { benchmark in
        let page = (1...1000).map { seq in
            RoomMessage(
                room: RoomID("bench-1"), seq: UInt64(seq), sender: DeviceID("m1-3"), addressee: .broadcast,
                body: .text(messageText), createdAt: 1_732_560_000_000)
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(HoneFrames.deltas(room: RoomID("bench-1"), page))
        }
    }

    // One iteration: 100 broadcasts in a room of 10 members, committed (no-op store) and handed to
    // the 9 other members' outboxes. Divide by 100 for one message.
    Benchmark(
        "Relay: route 100 broadcasts to 9 members each (no-op store)",
        configuration: .init(metrics: metrics, maxDuration: .seconds(3), maxIterations: 100_000)
    ) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            for _ in 0..<100 {
                _ = try? fixture.sender.send(to: .broadcast) { seq, ts in .text("{\"seq\":\(seq),\"ts\":\(ts)}") }
            }
            await fixture.relay.flush()
        }
    } setup: {
        try await RoutingFixture.make()
    }

    // One iteration: one transaction of 100 messages in 10 rooms. Divide by 100 for one message.
    Benchmark(
        "SQLite: append a batch of 100 messages",
        configuration: .init(metrics: metrics, maxDuration: .seconds(3), maxIterations: 100_000)
    ) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            try? await fixture.appendBatch()
        }
    } setup: {
        try SQLiteFixture.make()
    } teardown: {
        try? FileManager.default.removeItem(at: SQLiteFixture.directory)
    }

    // One iteration: reading a catch-up page of 1,000 stored messages. Divide by 1,000 for one message.
    Benchmark(
        "SQLite: read a page of 1,000 messages",
        configuration: .init(metrics: metrics, maxDuration: .seconds(3), maxIterations: 100_000)
    ) { benchmark, fixture in
        for _ in benchmark.scaledIterations {
            blackHole(
                try? await fixture.store.messages(
                    in: RoomID("room-0"), for: DeviceID("reader"), after: 0, through: 1_000_000, limit: 1000))
        }
    } setup: {
        try await SQLiteFixture.makeFilled()
    } teardown: {
        try? FileManager.default.removeItem(at: SQLiteFixture.directory)
    }
}

/// An outbox that only counts: routing is measured without any transport.
private final class CountingOutbox: Outbox {
    private let count = Mutex(0)
    func deliver(_ event: RoomEvent) { count.withLock { $0 += 1 } }
    func close(_ reason: CloseReason) {}
}

/// Storage that keeps nothing, so the relay's own work is what is measured.
private struct NullStore: MessageStore {
    func append(_ batch: [RoomMessage]) async throws {}
    func openRoom(_ room: RoomID, kind: RoomLogKind) async throws -> RoomLogState {
        RoomLogState(lastSeq: 0, epoch: "bench", prunedThrough: 0)
    }
    func messages(in room: RoomID, for device: DeviceID, after: UInt64, through: UInt64, limit: Int) async throws
        -> [RoomMessage]
    { [] }
    func recentClientIDs(in room: RoomID, sender: DeviceID, limit: Int) async throws -> [(id: String, seq: UInt64)] {
        []
    }
    func deleteMessages(createdBefore cutoff: Int64) async throws -> [RoomID: UInt64] { [:] }
    func compact(_ room: RoomID, before seq: UInt64) async throws {}
}

private struct RoutingFixture: Sendable {
    let relay: Relay
    let sender: Membership

    static func make() async throws -> RoutingFixture {
        let log = MessageLog(store: NullStore())
        let relay = Relay(limits: RelayLimits(), log: log)
        Task { await relay.runWriter() }
        var sender: Membership?
        for index in 0..<10 {
            let (membership, _) = try await relay.join(
                room: RoomID("bench"), device: DeviceID("m\(index)"), resuming: false, outbox: CountingOutbox())
            if index == 0 { sender = membership }
        }
        guard let sender else { fatalError("no sender") }
        return RoutingFixture(relay: relay, sender: sender)
    }
}

private final class SQLiteFixture: Sendable {
    static let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "tandem-benchmarks-\(ProcessInfo.processInfo.processIdentifier)")
    let store: SQLiteMessageStore
    let seq = Mutex<UInt64>(0)

    init(store: SQLiteMessageStore) {
        self.store = store
    }

    static func make() throws -> SQLiteFixture {
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pool = try SQLiteDatabase.open(
            path: directory.appendingPathComponent("bench.db").path, migrations: RelaySchema.migrations)
        return SQLiteFixture(store: SQLiteMessageStore(pool: pool))
    }

    /// A store holding 1,000 messages in each of its 10 rooms.
    static func makeFilled() async throws -> SQLiteFixture {
        let fixture = try make()
        for _ in 0..<100 { try await fixture.appendBatch() }
        return fixture
    }

    func appendBatch() async throws {
        let base = seq.withLock { seq in
            defer { seq += 10 }
            return seq
        }
        var batch: [RoomMessage] = []
        batch.reserveCapacity(100)
        for index in 0..<100 {
            batch.append(
                RoomMessage(
                    room: RoomID("room-\(index % 10)"), seq: base + UInt64(index / 10) + 1,
                    sender: DeviceID("m\(index % 10)"), addressee: .broadcast, body: .text(messageText),
                    createdAt: 1_732_560_000_000))
        }
        try await store.append(batch)
    }
}
