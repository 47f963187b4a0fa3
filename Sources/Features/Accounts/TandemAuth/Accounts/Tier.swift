/// A subscription level. It decides how many projects a user may sync.
package enum Tier: String, Sendable, CaseIterable, Codable {
    case free
    case personal
    case pro
    case team
}

/// How many synced projects each tier allows; pro and team are unlimited.
package struct TierLimits: Sendable, Equatable {
    package var free: Int
    package var personal: Int

    package init(free: Int = 0, personal: Int = 1) {
        self.free = free
        self.personal = personal
    }

    /// The most projects `tier` may register, or nil for no limit.
    package func projectLimit(_ tier: Tier) -> Int? {
        switch tier {
        case .free: free
        case .personal: personal
        case .pro, .team: nil
        }
    }
}

/// A user's subscription as stored: the tier bought and when it runs out (nil = never).
package struct Subscription: Sendable, Equatable {
    package let tier: Tier
    /// Milliseconds since 1970; nil when the subscription does not expire.
    package let expiresAt: Int64?

    package init(tier: Tier, expiresAt: Int64?) {
        self.tier = tier
        self.expiresAt = expiresAt
    }

    /// The tier that applies at `now`: an expired subscription counts as free.
    package func effectiveTier(now: Int64) -> Tier {
        if let expiresAt, expiresAt <= now { return .free }
        return tier
    }
}
