import Synchronization
import TandemCore

/// A `MessageStore` in memory, for testing the core without a database. It can be told to fail.
final class MemoryMessageStore: MessageStore {
    private struct State {
        var messages: [RoomMessage] = []
        var lastSeq: [RoomID: UInt64] = [:]
        var failuresLeft = 0
        var batches: [Int] = []
    }
    private let state = Mutex(State())

    struct InjectedFailure: Error {}

    /// The next `count` appends throw.
    func failNext(_ count: Int) { state.withLock { $0.failuresLeft = count } }

    var stored: [RoomMessage] { state.withLock { $0.messages } }
    var batchSizes: [Int] { state.withLock { $0.batches } }

    func append(_ batch: [RoomMessage]) async throws {
        try state.withLock { state in
            if state.failuresLeft > 0 {
                state.failuresLeft -= 1
                throw InjectedFailure()
            }
            state.batches.append(batch.count)
            state.messages += batch
            for message in batch { state.lastSeq[message.room] = max(state.lastSeq[message.room] ?? 0, message.seq) }
        }
    }

    func lastSeq(of room: RoomID) async throws -> UInt64 { state.withLock { $0.lastSeq[room] ?? 0 } }

    func messages(in room: RoomID, for device: DeviceID, after: UInt64, through: UInt64, limit: Int) async throws
        -> [RoomMessage]
    {
        state.withLock { state in
            Array(
                state.messages.filter {
                    $0.room == room && $0.seq > after && $0.seq <= through
                        && $0.addressee.includes(device, sender: $0.sender)
                }.prefix(limit))
        }
    }

    func deleteMessages(createdBefore cutoff: Int64) async throws -> Int {
        state.withLock { state in
            let before = state.messages.count
            state.messages.removeAll { $0.createdAt < cutoff }
            return before - state.messages.count
        }
    }
}

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let time = Mutex<Int64>(1_000_000)
    var wallClock: WallClock { WallClock { self.time.withLock { $0 } } }
    func advance(by millis: Int64) { time.withLock { $0 += millis } }
}
