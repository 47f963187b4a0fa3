import Synchronization

/// The events of a `RelayClient`, for one reader, in order and none dropped.
///
/// At most `RelayClientConfiguration.eventBufferLimit` events wait for the reader. When the buffer
/// is full the client stops reading from the socket until the reader takes one, so a slow reader
/// slows the connection down instead of growing memory or losing events; acknowledgements share the
/// connection, so sends wait too while the buffer is full: drain the stream even if you ignore it.
/// Ending the iteration (leaving the loop, or cancelling the reading task) discards what is buffered
/// and lets the client run on without delivering events.
public struct RelayEventStream: AsyncSequence, Sendable {
    let buffer: EventBuffer

    public func makeAsyncIterator() -> Iterator {
        Iterator(reader: Reader(buffer: buffer))
    }

    public struct Iterator: AsyncIteratorProtocol {
        fileprivate let reader: Reader

        public mutating func next() async -> RelayEvent? {
            await reader.buffer.next()
        }
    }

    /// Ends the stream for the client when the iterator goes away.
    fileprivate final class Reader: Sendable {
        let buffer: EventBuffer
        init(buffer: EventBuffer) { self.buffer = buffer }
        deinit { buffer.terminate() }
    }
}

/// A bounded queue with one consumer whose producers wait for room instead of dropping.
final class EventBuffer: Sendable {
    private struct State {
        var items: [RelayEvent] = []
        var head = 0
        var consumer: CheckedContinuation<RelayEvent?, Never>?
        /// Producers waiting for room; resumed with false when the buffer closes.
        var producers: [CheckedContinuation<Bool, Never>] = []
        /// No more events are accepted; the reader still gets what is buffered.
        var closed = false
        /// The reader went away: nothing is accepted or kept.
        var terminated = false
        var peak = 0

        var count: Int { items.count - head }

        mutating func pop() -> RelayEvent {
            let item = items[head]
            head += 1
            if head == items.count {
                items.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 64, head * 2 >= items.count {
                items.removeFirst(head)
                head = 0
            }
            return item
        }
    }

    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Events waiting for the reader.
    var count: Int { state.withLock { $0.count } }
    /// The most events that ever waited at once (never above `limit`, the closing event aside).
    var peak: Int { state.withLock { $0.peak } }

    /// Queues an event, waiting while the buffer is full. False if the event was not accepted
    /// (the buffer was closed or the reader went away), so the caller can act as if it never arrived.
    func put(_ event: RelayEvent) async -> Bool {
        while true {
            enum Step {
                case done(Bool)
                case hand(CheckedContinuation<RelayEvent?, Never>)
                case wait
            }
            let step = state.withLock { state -> Step in
                if state.closed || state.terminated { return .done(false) }
                if let consumer = state.consumer {
                    state.consumer = nil
                    return .hand(consumer)
                }
                guard state.count < limit else { return .wait }
                state.items.append(event)
                state.peak = max(state.peak, state.count)
                return .done(true)
            }
            switch step {
            case .done(let accepted):
                return accepted
            case .hand(let consumer):
                consumer.resume(returning: event)
                return true
            case .wait:
                let retry = await withCheckedContinuation { continuation in
                    let ready = state.withLock { state -> Bool? in
                        if state.closed || state.terminated { return false }
                        if state.count < limit { return true }
                        state.producers.append(continuation)
                        return nil
                    }
                    if let ready { continuation.resume(returning: ready) }
                }
                if !retry { return false }
            }
        }
    }

    /// Accepts nothing more; `last` (if any) follows what is buffered, whatever the limit, and then
    /// the stream ends. Waiting producers get false.
    func close(with last: RelayEvent?) {
        let (producers, consumer) = state.withLock {
            state -> ([CheckedContinuation<Bool, Never>], CheckedContinuation<RelayEvent?, Never>?) in
            guard !state.closed, !state.terminated else { return ([], nil) }
            state.closed = true
            defer { state.producers = [] }
            let consumer = state.consumer
            state.consumer = nil
            if let last, consumer == nil { state.items.append(last) }
            return (state.producers, consumer)
        }
        for producer in producers { producer.resume(returning: false) }
        consumer?.resume(returning: last)
    }

    /// The reader went away: drops what is buffered and accepts nothing more.
    func terminate() {
        let (producers, consumer) = state.withLock {
            state -> ([CheckedContinuation<Bool, Never>], CheckedContinuation<RelayEvent?, Never>?) in
            state.terminated = true
            state.items = []
            state.head = 0
            defer {
                state.producers = []
                state.consumer = nil
            }
            return (state.producers, state.consumer)
        }
        for producer in producers { producer.resume(returning: false) }
        consumer?.resume(returning: nil)
    }

    /// The next event; nil once the buffer is closed and drained, or the reading task is cancelled.
    func next() async -> RelayEvent? {
        let event = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let (ready, producer) = state.withLock {
                    state -> (RelayEvent??, CheckedContinuation<Bool, Never>?) in
                    if state.terminated || Task.isCancelled { return (.some(nil), nil) }
                    if state.count > 0 {
                        let event = state.pop()
                        let producer = state.producers.isEmpty ? nil : state.producers.removeFirst()
                        return (.some(event), producer)
                    }
                    if state.closed { return (.some(nil), nil) }
                    state.consumer = continuation
                    return (.none, nil)
                }
                producer?.resume(returning: true)
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            terminate()
        }
        if event == nil { terminate() }
        return event
    }
}
