import TandemConnection

extension Relay {
    /// The stored messages of `room` in `(after, through]` that `device` may read (broadcasts and
    /// those addressed to it), read from storage a page at a time as the sequence is iterated.
    public func history(of room: RoomID, for device: DeviceID, after: UInt64, through: UInt64, pageSize: Int)
        -> RoomHistory
    {
        RoomHistory(
            store: log.store, room: room, device: device, after: after, through: through, pageSize: max(1, pageSize))
    }
}

/// Pages of a room's stored messages, oldest first: each page is one read from storage, so a
/// catch-up of any length holds one page in memory. Reads go through their own connection and
/// never wait for the log's writer.
public struct RoomHistory: AsyncSequence, Sendable {
    public typealias Element = [RoomMessage]

    let store: any MessageStore
    let room: RoomID
    let device: DeviceID
    let after: UInt64
    let through: UInt64
    let pageSize: Int

    public struct AsyncIterator: AsyncIteratorProtocol {
        let history: RoomHistory
        var cursor: UInt64
        var done = false

        public mutating func next() async throws -> [RoomMessage]? {
            guard !done, cursor < history.through, !Task.isCancelled else { return nil }
            let page = try await history.store.messages(
                in: history.room, for: history.device, after: cursor, through: history.through,
                limit: history.pageSize)
            guard let last = page.last else { return nil }
            cursor = last.seq
            done = page.count < history.pageSize
            return page
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(history: self, cursor: after) }
}
