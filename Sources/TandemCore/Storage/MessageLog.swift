import Synchronization

/// Batches appends to a `MessageStore` so storage never costs one transaction per message.
///
/// `append` is synchronous and cheap (rooms call it while sequencing); a single writer task,
/// started with `run()`, commits whatever accumulated while the previous commit was running
/// (group commit without an artificial delay).
public final class MessageLog: Sendable {
    /// A position in the log's append order; every message appended before it is durable once
    /// `waitUntilDurable` returns for it.
    public struct Ticket: Comparable, Sendable {
        let value: UInt64
        public static func < (lhs: Ticket, rhs: Ticket) -> Bool { lhs.value < rhs.value }
    }

    private struct State {
        var pending: [RoomMessage] = []
        var appended: UInt64 = 0
        var durable: UInt64 = 0
        var waiters: [(ticket: UInt64, resume: Waiter)] = []
        var writerWakeup: CheckedContinuation<Void, Never>?
        var stopping = false
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

    public let store: any MessageStore
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

    /// Queues a message for the next commit and returns its ticket.
    @discardableResult
    public func append(_ message: RoomMessage) -> Ticket {
        let (ticket, wakeup) = state.withLock { state -> (UInt64, CheckedContinuation<Void, Never>?) in
            state.pending.append(message)
            state.appended += 1
            let wakeup = state.writerWakeup
            state.writerWakeup = nil
            return (state.appended, wakeup)
        }
        wakeup?.resume()
        return Ticket(value: ticket)
    }

    /// The ticket of the most recent append.
    public var lastTicket: Ticket { Ticket(value: state.withLock { $0.appended }) }

    /// Number of messages waiting to be committed.
    public var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Returns once every message appended up to `ticket` is committed.
    public func waitUntilDurable(_ ticket: Ticket) async {
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
    public func whenDurable(_ ticket: Ticket, perform action: @escaping @Sendable () -> Void) {
        let ready = state.withLock { state -> Bool in
            if state.durable >= ticket.value { return true }
            state.waiters.append((ticket.value, .callback(action)))
            return false
        }
        if ready { action() }
    }

    /// Returns once everything appended so far is committed.
    public func flush() async {
        await waitUntilDurable(lastTicket)
    }

    /// The writer loop. Runs until `stop()` is called and everything pending is committed.
    public func run() async {
        while true {
            switch nextBatch() {
            case .batch(let batch):
                await commit(batch)
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

    private enum Next {
        case batch([RoomMessage])
        case idle
        case finished
    }

    private func nextBatch() -> Next {
        state.withLock { state in
            if !state.pending.isEmpty && state.pending.count <= maxBatch {
                defer { state.pending = [] }
                return .batch(state.pending)
            }
            if !state.pending.isEmpty {
                let count = min(state.pending.count, maxBatch)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                return .batch(batch)
            }
            return state.stopping ? .finished : .idle
        }
    }

    /// Asks the writer loop to finish once the pending messages are committed.
    public func stop() {
        let wakeup = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.stopping = true
            defer { state.writerWakeup = nil }
            return state.writerWakeup
        }
        wakeup?.resume()
    }

    private func commit(_ batch: [RoomMessage]) async {
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
