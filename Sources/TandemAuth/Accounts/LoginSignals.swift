/// Wakes apps waiting on a login when its link is opened, so a waiting request answers at once
/// instead of polling storage.
actor LoginSignals {
    private var waiters: [String: [Int: CheckedContinuation<Void, Never>]] = [:]
    private var nextID = 0

    /// Returns when `key` is signalled or `timeout` passes, whichever is first.
    func wait(for key: String, timeout: Duration) async {
        let id = nextID
        nextID += 1
        await withCheckedContinuation { continuation in
            waiters[key, default: [:]][id] = continuation
            Task {
                try? await Task.sleep(for: timeout)
                self.resume(key, id)
            }
        }
    }

    func signal(_ key: String) {
        guard let group = waiters.removeValue(forKey: key) else { return }
        for continuation in group.values { continuation.resume() }
    }

    private func resume(_ key: String, _ id: Int) {
        guard let continuation = waiters[key]?.removeValue(forKey: id) else { return }
        if waiters[key]?.isEmpty == true { waiters[key] = nil }
        continuation.resume()
    }
}
