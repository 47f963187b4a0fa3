/// Everything the accounts service refuses, with what a client needs to show or fix it.
/// The HTTP layer maps each case to a status and a stable code in one place.
package enum AccountError: Error, Sendable, Equatable {
    case missingParameter(String)
    case invalidParameter(String, rule: String)
    case invalidEmail
    /// Too many requests for `scope` (an email or a client address) within the window.
    case rateLimited(scope: RateScope, limit: Int, windowSeconds: Int, retryAfterSeconds: Int)
    case linkUnknown
    case linkExpired
    case linkUsed
    case loginUnknown
    case loginExpired
    case loginClaimed
    case quickSetupDisabled
    case authenticationRequired
    case invalidToken
    case deviceNotFound
    case projectNotFound
    case userNotFound
    case tierLimit(tier: Tier, limit: Int)
    case pairingCodeUnknown
    case pairingCodeExpired
    case pairingCodeUsed
    case mailUnavailable(String)
    case storageUnavailable(String)
}

/// What a rate limit counts requests by.
package enum RateScope: String, Sendable, Equatable {
    case email
    case address
}
