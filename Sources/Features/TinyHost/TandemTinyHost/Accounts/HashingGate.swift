import Synchronization

/// An asynchronous semaphore with a bounded queue: at most `limit` holders, at most `maxWaiting`
/// waiters; a caller beyond both is refused at once instead of piling up.
final class HashingGate: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Bool, Never>] = []
    }

    let limit: Int
    let maxWaiting: Int
    private let state = Mutex(State())

    init(limit: Int, maxWaiting: Int) {
        self.limit = limit
        self.maxWaiting = maxWaiting
    }

    /// Waits for a slot; false when the queue is full (nothing to `leave` then).
    func enter() async -> Bool {
        await withCheckedContinuation { continuation in
            let answer: Bool? = state.withLock { state in
                if state.running < limit {
                    state.running += 1
                    return true
                }
                if state.waiting.count >= maxWaiting { return false }
                state.waiting.append(continuation)
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Callers waiting for a slot now.
    var waiting: Int { state.withLock { $0.waiting.count } }

    /// Hands the slot to the longest waiter, or frees it.
    func leave() {
        let next: CheckedContinuation<Bool, Never>? = state.withLock { state in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume(returning: true)
    }
}
