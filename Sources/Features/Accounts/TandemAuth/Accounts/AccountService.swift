import Synchronization
package import TandemConnection
import TandemRelay

/// The accounts domain: who a bearer token belongs to, and what its user may see and change.
///
/// Transport-free: the HTTP routes and the admin commands call it; it talks to an `AccountStore`
/// and a `LoginMailer`. Stateless apart from the rate limiters and login waiters it owns.
package final class AccountService: Sendable {
    package let store: any AccountStore
    package let signer: DeviceTokenSigner
    package let settings: AccountSettings
    package let clock: WallClock
    let mailer: any LoginMailer
    let loginsPerEmail: RequestLimiter
    let loginsPerAddress: RequestLimiter
    let redeemsPerAddress: RequestLimiter
    let signals = LoginSignals()

    /// Apps waiting in `awaitLogin` now.
    package var waitingLogins: Int {
        get async { await signals.waiting }
    }
    /// Base of mailed links; starts as `settings.publicURL`, set again once the port is bound.
    private let linkBase: Mutex<String>
    /// Told about every deleted device, so live connections using its token can be closed.
    let onDeviceRemoved: @Sendable (DeviceRecord) -> Void
    /// Told about every deleted project, so its room can be emptied.
    let onProjectRemoved: @Sendable (ProjectRecord) -> Void

    package init(
        store: any AccountStore, signer: DeviceTokenSigner, settings: AccountSettings, mailer: any LoginMailer,
        clock: WallClock = .system, onDeviceRemoved: @escaping @Sendable (DeviceRecord) -> Void = { _ in },
        onProjectRemoved: @escaping @Sendable (ProjectRecord) -> Void = { _ in }
    ) {
        self.store = store
        self.signer = signer
        self.settings = settings
        self.mailer = mailer
        self.clock = clock
        self.onDeviceRemoved = onDeviceRemoved
        self.onProjectRemoved = onProjectRemoved
        self.linkBase = Mutex(settings.publicURL)
        let window = Int64(settings.rateLimits.windowSeconds) * 1000
        loginsPerEmail = RequestLimiter(limit: settings.rateLimits.loginsPerEmail, windowMillis: window)
        loginsPerAddress = RequestLimiter(limit: settings.rateLimits.loginsPerAddress, windowMillis: window)
        redeemsPerAddress = RequestLimiter(limit: settings.rateLimits.redeemsPerAddress, windowMillis: window)
    }

    /// Sets the base of mailed links (when it depends on the port the server bound).
    package func setPublicURL(_ url: String) {
        linkBase.withLock { $0 = url }
    }

    /// The base of mailed links, e.g. `https://auth.example.com`.
    package var publicURL: String { linkBase.withLock { $0 } }

    /// The device a bearer token belongs to: its signature must verify and the device must still
    /// exist. Refreshes the device's last-seen time.
    package func authenticate(bearer token: String?) async throws(AccountError) -> DeviceRecord {
        guard let token, !token.isEmpty else { throw .authenticationRequired }
        guard let fields = signer.verify(token) else { throw .invalidToken }
        let device = try await storage { try await $0.device(tokenHash: SecretToken.hash(token)) }
        guard let device, device.userID == fields.userID, device.deviceID == fields.deviceID else {
            throw .invalidToken
        }
        let now = clock.now()
        try await storage { try await $0.touchDevice(id: device.id, now: now) }
        return device
    }

    /// The user's devices, oldest first.
    package func devices(of user: Int) async throws(AccountError) -> [DeviceRecord] {
        try await storage { try await $0.devices(user: user) }
    }

    /// Deletes one of the user's devices; its token stops working at once.
    package func removeDevice(id: Int, of user: Int) async throws(AccountError) {
        guard let removed = try await storage({ try await $0.deleteDevice(id: id, user: user) }) else {
            throw .deviceNotFound
        }
        onDeviceRemoved(removed)
    }

    /// Registers a project, or returns the user's existing one with the same key.
    /// - Returns: the project and whether it was created by this call.
    package func registerProject(key: String?, name: String?, for user: Int) async throws(AccountError) -> (
        ProjectRecord, created: Bool
    ) {
        let key = try AccountInput.text(key, "projectKey", maxLength: AccountInput.maxProjectKeyLength)
        let name = try AccountInput.text(name, "name", maxLength: AccountInput.maxProjectKeyLength, fallback: key)
        let now = clock.now()
        let limits = settings.tierLimits
        let outcome = try await storage {
            try await $0.registerProject(
                user: user, projectKey: key, name: name, roomID: SecretToken.randomHex(bytes: 16), now: now
            ) { subscription in
                let tier = subscription.effectiveTier(now: now)
                return (tier, limits.projectLimit(tier))
            }
        }
        switch outcome {
        case .created(let project): return (project, true)
        case .existing(let project): return (project, false)
        case .overLimit(let tier, let limit): throw .tierLimit(tier: tier, limit: limit)
        }
    }

    package func projects(of user: Int) async throws(AccountError) -> [ProjectRecord] {
        try await storage { try await $0.projects(user: user) }
    }

    /// Deletes one of the user's projects; devices can no longer join its room.
    package func removeProject(id: Int, of user: Int) async throws(AccountError) {
        guard let removed = try await storage({ try await $0.deleteProject(id: id, user: user) }) else {
            throw .projectNotFound
        }
        onProjectRemoved(removed)
    }

    /// The user's stored subscription (a user without one counts as free, never expiring).
    package func subscription(of user: Int) async throws(AccountError) -> Subscription {
        try await storage { try await $0.subscription(user: user) } ?? Subscription(tier: .free, expiresAt: nil)
    }

    /// Every account with its subscription and counts (for administrators).
    package func users() async throws(AccountError) -> [UserSummary] {
        try await storage { try await $0.users() }
    }

    /// Finds a user by decimal id or by email.
    package func findUser(_ idOrEmail: String) async throws(AccountError) -> UserRecord {
        let found: UserRecord?
        if let id = Int(idOrEmail) {
            found = try await storage { try await $0.user(id: id) }
        } else {
            let email = try AccountInput.email(idOrEmail)
            found = try await storage { try await $0.user(email: email) }
        }
        guard let found else { throw .userNotFound }
        return found
    }

    /// Sets a user's tier and expiry (nil = never).
    package func setSubscription(of user: Int, to subscription: Subscription) async throws(AccountError) {
        let now = clock.now()
        guard try await storage({ try await $0.setSubscription(user: user, subscription, now: now) }) else {
            throw .userNotFound
        }
    }

    /// Deletes magic links and pairing codes that can no longer be used.
    package func purgeExpired() async throws(AccountError) {
        let cutoff = clock.now() - settings.linkLifetimeMillis
        try await storage { try await $0.deleteExpired(before: cutoff) }
    }

    /// Registers a device for `user` and signs its token.
    func issueDevice(for user: Int, _ description: DeviceDescription) async throws(AccountError) -> IssuedDevice {
        let now = clock.now()
        let signer = self.signer
        let device = try await storage {
            try await $0.insertDevice(user: user, name: description.name, platform: description.platform, now: now) {
                SecretToken.hash(signer.sign(DeviceToken(userID: user, deviceID: String($0), issuedAt: now)))
            }
        }
        let token = signer.sign(DeviceToken(userID: user, deviceID: device.deviceID, issuedAt: now))
        return IssuedDevice(deviceToken: token, device: device)
    }

    /// Runs a store call, turning its failures into `storageUnavailable`.
    func storage<T>(_ body: (any AccountStore) async throws -> T) async throws(AccountError) -> T {
        do {
            return try await body(store)
        } catch {
            throw .storageUnavailable(String(describing: error))
        }
    }

    /// Applies `limiter` to `key`, throwing a rate-limit error naming the limit.
    func admit(_ limiter: RequestLimiter, _ key: String, scope: RateScope) throws(AccountError) {
        if let wait = limiter.admit(key, now: clock.now()) {
            throw .rateLimited(
                scope: scope, limit: limiter.limit, windowSeconds: Int(limiter.windowMillis / 1000),
                retryAfterSeconds: Int((wait + 999) / 1000))
        }
    }
}
