/// A token bucket over an injected clock (milliseconds), so it is tested without sleeping.
public struct TokenBucket: Sendable {
    public let ratePerSecond: Double
    public let capacity: Double
    private var tokens: Double
    private var updatedAt: Int64

    public init(ratePerSecond: Double, capacity: Double, now: Int64) {
        self.ratePerSecond = ratePerSecond
        self.capacity = capacity
        self.tokens = capacity
        self.updatedAt = now
    }

    /// Takes one token if there is one.
    public mutating func take(now: Int64) -> Bool {
        if now > updatedAt {
            tokens = min(capacity, tokens + Double(now - updatedAt) * ratePerSecond / 1000)
            updatedAt = now
        }
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}

/// Applies a `RateLimit` to one connection: admits, refuses, or decides the sender is abusive.
public struct RateLimiter: Sendable {
    public enum Verdict: Sendable, Equatable {
        case allowed
        case refused
        case abusive
    }

    private var bucket: TokenBucket
    private let limit: RateLimit
    private var windowStart: Int64
    private var refusalsInWindow = 0

    public init(_ limit: RateLimit, now: Int64) {
        self.limit = limit
        self.bucket = TokenBucket(ratePerSecond: limit.messagesPerSecond, capacity: limit.burst, now: now)
        self.windowStart = now
    }

    public mutating func check(now: Int64) -> Verdict {
        if bucket.take(now: now) { return .allowed }
        if now - windowStart >= limit.abuseWindowMillis {
            windowStart = now
            refusalsInWindow = 0
        }
        refusalsInWindow += 1
        return refusalsInWindow > limit.abuseRefusals ? .abusive : .refused
    }
}
