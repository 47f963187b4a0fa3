import Synchronization

/// Counts requests per key in a sliding window: at most `limit` in any `windowMillis`.
///
/// Memory is bounded: keys whose requests have all left the window are dropped once the table
/// grows past `pruneThreshold`.
public final class RequestLimiter: Sendable {
    public let limit: Int
    public let windowMillis: Int64
    private let pruneThreshold: Int
    private let requests = Mutex<[String: [Int64]]>([:])

    public init(limit: Int, windowMillis: Int64, pruneThreshold: Int = 10_000) {
        self.limit = limit
        self.windowMillis = windowMillis
        self.pruneThreshold = pruneThreshold
    }

    /// Records a request for `key` if it is within the limit and returns nil; otherwise records
    /// nothing and returns how many milliseconds until the next request would be allowed.
    public func admit(_ key: String, now: Int64) -> Int64? {
        let start = now - windowMillis
        return requests.withLock { table -> Int64? in
            if table.count > pruneThreshold {
                table = table.filter { ($0.value.last ?? .min) > start }
            }
            var stamps = table[key, default: []]
            stamps.removeAll { $0 <= start }
            guard stamps.count < limit else {
                table[key] = stamps
                return max(1, stamps[0] + windowMillis - now)
            }
            stamps.append(now)
            table[key] = stamps
            return nil
        }
    }
}
