import Synchronization

/// One connection's bounded queue of outgoing items, drained by that connection's writer task.
///
/// Producers (rooms, the connection's own reader) never wait. When the queued bytes pass
/// `maxBytes` the queue closes itself with `CloseReason.slowConsumer`, so a slow reader never
/// stalls its room or grows memory without bound.
public final class OutboundQueue: AsyncSequence, Sendable {
    public enum Item: Sendable, Equatable {
        case frame(WireFrame)
        /// Always the last item: send a close frame with this reason.
        case close(CloseReason)
    }

    private struct State {
        var items: [Item] = []
        var head = 0
        var bytes = 0
        var closed = false
        var finished = false
        /// A writer task waiting for the next item (handed to it directly).
        var consumer: CheckedContinuation<Item?, Never>?
        /// A transport waiting to be told that items are ready (see `whenReady`).
        var readyHandler: (@Sendable () -> Void)?
        var closeReason: CloseReason?
        var closeWatchers: [CheckedContinuation<CloseReason?, Never>] = []
        /// Senders waiting for the queue to shrink to a number of bytes (see `drained(below:)`).
        var drainWatchers: [(bytes: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    /// Who to wake after an item was queued, run outside the lock.
    private enum Wake {
        case none
        case consumer(CheckedContinuation<Item?, Never>, Item)
        case handler(@Sendable () -> Void)

        func run() {
            switch self {
            case .none: break
            case .consumer(let consumer, let item): consumer.resume(returning: item)
            case .handler(let handler): handler()
            }
        }
    }

    public let maxBytes: Int
    private let state = Mutex(State())

    public init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    /// Queues a frame.
    public func send(_ frame: WireFrame) {
        push(.frame(frame), bytes: frame.byteCount)
    }

    /// Ends the connection with `reason` after what is already queued has been sent.
    public func close(_ reason: CloseReason) {
        var watchers: [CheckedContinuation<CloseReason?, Never>] = []
        let wake = state.withLock { state -> Wake in
            guard !state.closed else { return .none }
            state.closed = true
            state.closeReason = reason
            swap(&watchers, &state.closeWatchers)
            Self.releaseDrainWatchers(in: &state)
            return enqueue(.close(reason), bytes: 0, into: &state)
        }
        wake.run()
        for watcher in watchers { watcher.resume(returning: reason) }
    }

    /// Returns once the queue is closed, with the reason; nil if it was finished instead.
    public func closed() async -> CloseReason? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> CloseReason?? in
                if state.closed { return .some(state.closeReason) }
                state.closeWatchers.append(continuation)
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Ends the sequence at once, dropping what is queued (the connection is gone).
    public func finish() {
        var watchers: [CheckedContinuation<CloseReason?, Never>] = []
        defer { for watcher in watchers { watcher.resume(returning: nil) } }
        let (consumer, handler) = state.withLock { state in
            swap(&watchers, &state.closeWatchers)
            state.closed = true
            state.finished = true
            Self.releaseDrainWatchers(in: &state)
            state.items = []
            state.head = 0
            state.bytes = 0
            defer {
                state.consumer = nil
                state.readyHandler = nil
            }
            return (state.consumer, state.readyHandler)
        }
        consumer?.resume(returning: nil)
        handler?()
    }

    /// Returns once at most `bytes` are queued, or the queue is closed. A connection sending a large
    /// answer in pieces waits here between pieces, so it keeps pace with its socket instead of passing
    /// `maxBytes`.
    public func drained(below bytes: Int) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.closed || state.bytes <= bytes { return true }
                state.drainWatchers.append((bytes, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Whether the queue accepts no more items.
    public var isClosed: Bool { state.withLock { $0.closed } }

    /// Items waiting to be written.
    public var queuedItemCount: Int { state.withLock { $0.items.count - $0.head } }

    /// Bytes waiting to be written.
    public var queuedBytes: Int { state.withLock { $0.bytes } }

    /// Takes what is queued now, in order, up to `maxBytes` of payload (at least one item), without
    /// waiting: empty when nothing is, nil once the queue is finished. For transports that write
    /// from their own thread; together with `whenReady` it replaces iterating the queue.
    public func takeReady(maxBytes: Int) -> [Item]? {
        state.withLock { state in
            var batch: [Item] = []
            var bytes = 0
            while bytes < maxBytes || batch.isEmpty, case let item?? = Self.take(from: &state) {
                batch.append(item)
                bytes += Self.size(of: item)
                if case .close = item { break }
            }
            return batch.isEmpty && state.finished ? nil : batch
        }
    }

    /// Calls `handler` once, on the thread that queues the next item or finishes the queue; at once
    /// if an item is already waiting or the queue is finished.
    public func whenReady(_ handler: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            if state.head < state.items.count || state.finished { return true }
            state.readyHandler = handler
            return false
        }
        if now { handler() }
    }

    private func push(_ item: Item, bytes: Int) {
        var watchers: [CheckedContinuation<CloseReason?, Never>] = []
        defer { for watcher in watchers { watcher.resume(returning: .slowConsumer) } }
        let wake = state.withLock { state -> Wake in
            guard !state.closed else { return .none }
            if state.bytes + bytes > maxBytes {
                state.closed = true
                state.closeReason = .slowConsumer
                swap(&watchers, &state.closeWatchers)
                Self.releaseDrainWatchers(in: &state)
                // Drop the backlog: the client catches up from storage with lastSeq.
                state.items = []
                state.head = 0
                state.bytes = 0
                return enqueue(.close(.slowConsumer), bytes: 0, into: &state)
            }
            return enqueue(item, bytes: bytes, into: &state)
        }
        wake.run()
    }

    /// Hands the item straight to a waiting writer task, or appends it and takes the ready handler.
    private func enqueue(_ item: Item, bytes: Int, into state: inout State) -> Wake {
        if let consumer = state.consumer {
            state.consumer = nil
            return .consumer(consumer, item)
        }
        state.items.append(item)
        state.bytes += bytes
        guard let handler = state.readyHandler else { return .none }
        state.readyHandler = nil
        return .handler(handler)
    }

    func next() async -> Item? {
        // A backlog is drained without suspending: the writer only waits when the queue is empty.
        if let ready = state.withLock({ Self.take(from: &$0) }) { return ready }
        return await withCheckedContinuation { continuation in
            let item = state.withLock { state -> Item?? in
                if let ready = Self.take(from: &state) { return ready }
                state.consumer = continuation
                return .none
            }
            if let item { continuation.resume(returning: item) }
        }
    }

    /// The next queued item, `.some(nil)` once finished, or nil when the consumer has to wait.
    private static func take(from state: inout State) -> Item?? {
        if state.head < state.items.count {
            let item = state.items[state.head]
            state.head += 1
            state.bytes -= size(of: item)
            if !state.drainWatchers.isEmpty { releaseDrainWatchers(in: &state) }
            if state.head == state.items.count {
                state.items.removeAll(keepingCapacity: true)
                state.head = 0
            }
            return .some(item)
        }
        if state.finished { return .some(nil) }
        return nil
    }

    /// Resumes the drain watchers whose bound the queue now meets (all of them once it is closed).
    /// Resuming only schedules their tasks, so it is safe under the lock.
    private static func releaseDrainWatchers(in state: inout State) {
        let closed = state.closed
        let bytes = state.bytes
        state.drainWatchers.removeAll { watcher in
            guard closed || bytes <= watcher.bytes else { return false }
            watcher.continuation.resume()
            return true
        }
    }

    private static func size(of item: Item) -> Int {
        switch item {
        case .frame(let frame): frame.byteCount
        case .close: 0
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let queue: OutboundQueue
        var done = false

        public mutating func next() async -> Item? {
            guard !done else { return nil }
            let item = await queue.next()
            if case .close = item { done = true }
            if item == nil { done = true }
            return item
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(queue: self) }
}

extension OutboundQueue {
    /// Most payload bytes handed to the transport in one write.
    public static let writeBatchBytes = 256 << 10

    /// How long a connection the server closed may take to read its close frame before the
    /// transport is dropped.
    public static let closeGracePeriod: Duration = .seconds(5)

    /// Once the queue is closed, runs `onClose` at once (say, to leave a room, even while the
    /// writer is stuck behind a full socket), then drops the transport unless this task is
    /// cancelled first (the connection ended) within `closeGracePeriod`. Returns at once if the
    /// queue finishes instead. Every adapter runs it beside its writer.
    public func dropWhenClosed(_ connection: some WireConnection, onClose: (CloseReason) -> Void = { _ in }) async {
        guard let reason = await closed() else { return }
        onClose(reason)
        try? await Task.sleep(for: Self.closeGracePeriod)
        if !Task.isCancelled { connection.abort() }
    }

    /// Writes the queue's items to `connection` until the queue ends (see `WireConnection.stream`),
    /// then the closing, if the queue was closed. Throws when the socket is gone.
    public func write(to connection: some WireConnection) async throws {
        if let reason = try await connection.stream(self) {
            try await connection.close(code: reason.code, reason: reason.reason)
        }
    }
}
