/// A token bucket over an injected clock (milliseconds), so it is tested without sleeping.
public struct TokenBucket: Sendable {
    public let ratePerSecond: Double
    public let capacity: Double
    private var tokens: Double
    /// When a token was last taken or counted (milliseconds of the injected clock).
    public private(set) var updatedAt: Int64

    public init(ratePerSecond: Double, capacity: Double, now: Int64) {
        self.ratePerSecond = ratePerSecond
        self.capacity = capacity
        self.tokens = capacity
        self.updatedAt = now
    }

    /// Takes one token if there is one.
    public mutating func take(now: Int64) -> Bool {
        refill(now: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Takes one token and returns 0, or, when there is none, returns how many milliseconds until
    /// there is one (taking nothing). A reader that waits that long before reading on paces its
    /// sender to the rate through TCP instead of refusing it.
    public mutating func delay(now: Int64) -> Int64 {
        if take(now: now) { return 0 }
        return max(1, Int64(((1 - tokens) * 1000 / ratePerSecond).rounded(.up)))
    }

    private mutating func refill(now: Int64) {
        guard now > updatedAt else { return }
        tokens = min(capacity, tokens + Double(now - updatedAt) * ratePerSecond / 1000)
        updatedAt = now
    }
}

extension TokenBucket {
    /// A bucket for `limit`, full.
    public init(_ limit: RateLimit, now: Int64) {
        self.init(ratePerSecond: limit.messagesPerSecond, capacity: limit.burst, now: now)
    }

    /// Waits until a token is there and takes it: the caller reads no more frames meanwhile, so a
    /// fast sender is slowed by TCP, not refused. Returns early if the task is cancelled.
    public mutating func paced(by clock: WallClock) async {
        while case let wait = delay(now: clock.now()), wait > 0, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(wait))
        }
    }
}

/// A per-connection token bucket: over it, a connection is read no further until it has a token.
public struct RateLimit: Sendable, Equatable {
    /// Sustained messages per second.
    public var messagesPerSecond: Double = 100
    /// Messages that may arrive at once after a quiet period.
    public var burst: Double = 200

    public init() {}
}
