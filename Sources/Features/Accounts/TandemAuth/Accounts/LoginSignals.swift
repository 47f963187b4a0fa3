/// Wakes apps waiting on a login when its link is opened, so a waiting request answers at once
/// instead of polling storage.
actor LoginSignals {
    private struct Waiter {
        let continuation: CheckedContinuation<Void, Never>
        let timer: Task<Void, Never>
    }

    private var waiters: [String: [Int: Waiter]] = [:]
    private var nextID = 0

    /// Returns when `key` is signalled, `timeout` passes, or the calling task is cancelled (its
    /// client went away), whichever is first.
    func wait(for key: String, timeout: Duration) async {
        let id = nextID
        nextID += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Cancelled before the waiter was registered: the handler below found nothing to wake.
                guard !Task.isCancelled else { return continuation.resume() }
                let timer = Task {
                    try? await Task.sleep(for: timeout)
                    self.resume(key, id)
                }
                waiters[key, default: [:]][id] = Waiter(continuation: continuation, timer: timer)
            }
        } onCancel: {
            Task { await self.resume(key, id) }
        }
    }

    func signal(_ key: String) {
        guard let group = waiters.removeValue(forKey: key) else { return }
        for waiter in group.values {
            waiter.timer.cancel()
            waiter.continuation.resume()
        }
    }

    /// Apps waiting now, over all logins.
    var waiting: Int { waiters.values.reduce(0) { $0 + $1.count } }

    private func resume(_ key: String, _ id: Int) {
        guard let waiter = waiters[key]?.removeValue(forKey: id) else { return }
        if waiters[key]?.isEmpty == true { waiters[key] = nil }
        waiter.timer.cancel()
        waiter.continuation.resume()
    }
}
