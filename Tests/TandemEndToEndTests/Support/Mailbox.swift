import Synchronization

struct Timeout: Error, CustomStringConvertible {
    let description: String
}

/// A queue one task fills and another awaits with a deadline.
final class Mailbox<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var waiter: CheckedContinuation<Element?, Never>?
        var finished = false
    }
    private let state = Mutex(State())

    func put(_ element: Element) {
        let waiter = state.withLock { state -> CheckedContinuation<Element?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.items.append(element)
            return nil
        }
        waiter?.resume(returning: element)
    }

    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Element?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The next element, nil once finished and empty; throws `Timeout` after `timeout`.
    func next(timeout: Duration = .seconds(10)) async throws -> Element? {
        try await withThrowingTaskGroup(of: Element?.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    await self.take()
                } onCancel: {
                    self.cancelWaiter()
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw Timeout(description: "nothing arrived within \(timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    /// Elements received so far without waiting.
    func drain() -> [Element] {
        state.withLock { state in
            defer { state.items = [] }
            return state.items
        }
    }

    private func take() async -> Element? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Element?? in
                if !state.items.isEmpty { return .some(state.items.removeFirst()) }
                if state.finished || Task.isCancelled { return .some(nil) }
                state.waiter = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private func cancelWaiter() {
        let waiter = state.withLock { state -> CheckedContinuation<Element?, Never>? in
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }
}
