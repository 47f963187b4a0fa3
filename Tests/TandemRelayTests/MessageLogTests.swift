import Synchronization
import TandemConnection
import Testing

@testable import TandemRelay

@Suite("Message log")
struct MessageLogTests {
    func message(_ seq: UInt64) -> RoomMessage {
        RoomMessage(
            room: RoomID("r"), seq: seq, sender: DeviceID("A"), addressee: .broadcast, body: .text("\(seq)"),
            createdAt: 0)
    }

    @Test("appends made while a commit runs are committed together, in order")
    func groupCommit() async throws {
        let store = MemoryMessageStore()
        let log = MessageLog(store: store, maxBatch: 100)
        for seq in 1...250 { log.append(message(UInt64(seq))) }
        let writer = Task { await log.run() }
        await log.flush()
        #expect(store.stored.map(\.seq) == (1...250).map(UInt64.init))
        #expect(store.batchSizes == [100, 100, 50])
        log.stop()
        await writer.value
    }

    @Test("a failed commit is retried, never dropped; waiters resume once it succeeds")
    func retryOnFailure() async throws {
        let store = MemoryMessageStore()
        store.failNext(2)
        let log = MessageLog(store: store)
        let writer = Task { await log.run() }
        let ticket = log.append(message(1))
        await log.waitUntilDurable(ticket)
        #expect(store.stored.map(\.seq) == [1])
        log.stop()
        await writer.value
    }

    @Test("durability callbacks run once their ticket is committed")
    func callbacks() async throws {
        let store = MemoryMessageStore()
        let log = MessageLog(store: store)
        let fired = Mailbox()
        let ticket = log.append(message(1))
        log.whenDurable(ticket) { fired.put(1) }
        #expect(fired.taken == [])
        let writer = Task { await log.run() }
        await log.flush()
        #expect(fired.taken == [1])
        log.whenDurable(ticket) { fired.put(2) }
        #expect(fired.taken == [1, 2], "an already durable ticket calls back at once")
        log.stop()
        await writer.value
    }

    @Test("stop commits everything pending before the writer returns")
    func stopFlushes() async throws {
        let store = MemoryMessageStore()
        let log = MessageLog(store: store)
        let writer = Task { await log.run() }
        for seq in 1...10 { log.append(message(UInt64(seq))) }
        log.stop()
        await writer.value
        #expect(store.stored.count == 10)
        #expect(log.pendingCount == 0)
    }
}

/// Collects values from callbacks.
final class Mailbox: Sendable {
    private let values = Mutex<[Int]>([])
    func put(_ value: Int) { values.withLock { $0.append(value) } }
    var taken: [Int] { values.withLock { $0 } }
}
