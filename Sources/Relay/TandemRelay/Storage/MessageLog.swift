import Synchronization
import TandemConnection

/// Receives messages once they are durable, in the order they were appended.
protocol DurableDelivery: AnyObject, Sendable {
    func deliver(_ messages: ArraySlice<RoomMessage>)
}

/// Batches appends to a `MessageStore` so storage never costs one transaction per message, and
/// hands each message on for delivery only once it is durable.
///
/// `append` is synchronous and cheap (rooms call it while sequencing); a single writer task,
/// started with `run()`, commits whatever accumulated while the previous commit was running
/// (group commit without an artificial delay). Delivering only durable messages is what lets a
/// crash lose nothing anyone has seen: every seq a client ever received is in storage.
public final class MessageLog: Sendable {
    /// A position in the log's append order; every message appended before it is durable once
    /// `waitUntilDurable` returns for it.
    public struct Ticket: Comparable, Sendable {
        let value: UInt64
        public static func < (lhs: Ticket, rhs: Ticket) -> Bool { lhs.value < rhs.value }
    }

    private enum Waiter {
        case task(CheckedContinuation<Void, Never>)
        case callback(@Sendable () -> Void)

        func resume() {
            switch self {
            case .task(let continuation): continuation.resume()
            case .callback(let callback): callback()
            }
        }
    }

    private struct State {
        var pending: [RoomMessage] = []
        var targets: [(any DurableDelivery)?] = []
        var appended: UInt64 = 0
        var durable: UInt64 = 0
        var waiters: [(ticket: UInt64, resume: Waiter)] = []
        var writerWakeup: CheckedContinuation<Void, Never>?
        var stopping = false
        var writerRunning = false
    }

    let store: any MessageStore
    private let maxBatch: Int
    private let onError: @Sendable (any Error) -> Void
    private let state = Mutex(State())

    /// - Parameters:
    ///   - maxBatch: the most messages committed in one transaction.
    ///   - onError: told about failed commits; the batch is kept and retried, never dropped.
    public init(
        store: any MessageStore, maxBatch: Int = 4096, onError: @escaping @Sendable (any Error) -> Void = { _ in }
    ) {
        self.store = store
        self.maxBatch = max(1, maxBatch)
        self.onError = onError
    }

    /// Queues a message for the next commit; once committed it goes to `target`.
    @discardableResult
    func append(_ message: RoomMessage, deliverTo target: (any DurableDelivery)? = nil) -> Ticket {
        let (ticket, wakeup) = state.withLock { state -> (UInt64, CheckedContinuation<Void, Never>?) in
            state.pending.append(message)
            state.targets.append(target)
            state.appended += 1
            let wakeup = state.writerWakeup
            state.writerWakeup = nil
            return (state.appended, wakeup)
        }
        wakeup?.resume()
        return Ticket(value: ticket)
    }

    /// The ticket of the most recent append.
    var lastTicket: Ticket { Ticket(value: state.withLock { $0.appended }) }

    /// Number of messages waiting to be committed.
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Returns once every message appended up to `ticket` is committed.
    func waitUntilDurable(_ ticket: Ticket) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.durable >= ticket.value { return true }
                state.waiters.append((ticket.value, .task(continuation)))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Calls `action` (on the writer task, so it must be quick) once `ticket` is durable, or at
    /// once if it already is.
    func whenDurable(_ ticket: Ticket, perform action: @escaping @Sendable () -> Void) {
        let ready = state.withLock { state -> Bool in
            if state.durable >= ticket.value { return true }
            state.waiters.append((ticket.value, .callback(action)))
            return false
        }
        if ready { action() }
    }

    /// Returns once everything appended so far is committed.
    func flush() async {
        await waitUntilDurable(lastTicket)
    }

    /// The writer loop. Runs until `stop()` is called and everything pending is committed.
    /// Only one writer runs at a time; a second call returns at once.
    func run() async {
        let alreadyRunning = state.withLock { state in
            defer { state.writerRunning = true }
            return state.writerRunning
        }
        guard !alreadyRunning else { return }
        while true {
            switch nextBatch() {
            case .batch(let batch, let targets):
                await commit(batch, targets)
            case .finished:
                return
            case .idle:
                await withCheckedContinuation { continuation in
                    let resumeNow = state.withLock { state -> Bool in
                        if !state.pending.isEmpty || state.stopping { return true }
                        state.writerWakeup = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
        }
    }

    /// Asks the writer loop to finish once the pending messages are committed.
    func stop() {
        let wakeup = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.stopping = true
            defer { state.writerWakeup = nil }
            return state.writerWakeup
        }
        wakeup?.resume()
    }

    private enum Next {
        case batch([RoomMessage], [(any DurableDelivery)?])
        case idle
        case finished
    }

    private func nextBatch() -> Next {
        state.withLock { state in
            guard !state.pending.isEmpty else { return state.stopping ? .finished : .idle }
            if state.pending.count <= maxBatch {
                defer {
                    state.pending.removeAll(keepingCapacity: true)
                    state.targets.removeAll(keepingCapacity: true)
                }
                return .batch(state.pending, state.targets)
            }
            let batch = Array(state.pending.prefix(maxBatch))
            let targets = Array(state.targets.prefix(maxBatch))
            state.pending.removeFirst(maxBatch)
            state.targets.removeFirst(maxBatch)
            return .batch(batch, targets)
        }
    }

    private func commit(_ batch: [RoomMessage], _ targets: [(any DurableDelivery)?]) async {
        var delay: Duration = .milliseconds(50)
        while true {
            do {
                try await store.append(batch)
                break
            } catch {
                onError(error)
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(2))
            }
        }
        // Deliver runs of consecutive messages with the same target together, in order.
        var start = 0
        while start < batch.count {
            var end = start + 1
            while end < batch.count, targets[end] === targets[start] { end += 1 }
            targets[start]?.deliver(batch[start..<end])
            start = end
        }
        let ready = state.withLock { state -> [Waiter] in
            state.durable += UInt64(batch.count)
            let durable = state.durable
            var ready: [Waiter] = []
            state.waiters.removeAll { waiter in
                guard waiter.ticket <= durable else { return false }
                ready.append(waiter.resume)
                return true
            }
            return ready
        }
        for waiter in ready { waiter.resume() }
    }
}
