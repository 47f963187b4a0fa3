import Synchronization
import TandemConnection
import TandemRelay

/// A `MessageStore` in memory, for testing the core without a database. It can be told to fail.
final class MemoryMessageStore: MessageStore {
    private struct State {
        var messages: [RoomMessage] = []
        var rooms: [RoomID: RoomLogState] = [:]
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
            for message in batch {
                var room = state.rooms[message.room] ?? RoomLogState(lastSeq: 0, epoch: "e1", prunedThrough: 0)
                room.lastSeq = max(room.lastSeq, message.seq)
                state.rooms[message.room] = room
            }
        }
    }

    func openRoom(_ room: RoomID, kind: RoomLogKind) async throws -> RoomLogState {
        state.withLock { state in
            if let known = state.rooms[room] { return known }
            let fresh = RoomLogState(lastSeq: 0, epoch: "e1", prunedThrough: 0)
            state.rooms[room] = fresh
            return fresh
        }
    }

    func recentClientIDs(in room: RoomID, sender: DeviceID, limit: Int) async throws -> [(id: String, seq: UInt64)] {
        state.withLock { state in
            state.messages.reversed().filter { $0.room == room && $0.sender == sender && $0.clientID != nil }
                .prefix(limit).map { ($0.clientID ?? "", $0.seq) }
        }
    }

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

    func deleteMessages(createdBefore cutoff: Int64) async throws -> [RoomID: UInt64] {
        state.withLock { state in
            var pruned: [RoomID: UInt64] = [:]
            for message in state.messages where message.createdAt < cutoff {
                pruned[message.room] = max(pruned[message.room] ?? 0, message.seq)
            }
            state.messages.removeAll { $0.createdAt < cutoff }
            for (room, seq) in pruned { state.rooms[room]?.prunedThrough = seq }
            return pruned
        }
    }

    func compact(_ room: RoomID, before seq: UInt64) async throws {
        state.withLock { state in
            state.messages.removeAll { $0.room == room && $0.seq < seq }
            if var known = state.rooms[room] {
                known.prunedThrough = max(known.prunedThrough, seq - 1)
                state.rooms[room] = known
            }
        }
    }
}

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let time = Mutex<Int64>(1_000_000)
    var wallClock: WallClock { WallClock { self.time.withLock { $0 } } }
    func advance(by millis: Int64) { time.withLock { $0 += millis } }
}
