/// Storage for accounts, devices, magic links, projects, subscriptions and pairing codes.
///
/// SQLite implements it now and PostgreSQL can later. Methods that decide something (using a
/// link, claiming a login, redeeming a code, registering a project under a tier limit) do it in
/// one transaction, so concurrent requests cannot both win. Secrets arrive already hashed.
package protocol AccountStore: Sendable {
    // Magic links and logins.
    func insertMagicLink(_ link: NewMagicLink) async throws
    /// Marks the link used and finds or creates its user (with `newUserTier`). With `claim`, the
    /// waiting app's login is marked claimed too, because the caller receives the device token.
    func consumeMagicLink(tokenHash: String, now: Int64, newUserTier: Tier, claim: Bool) async throws
        -> MagicLinkOutcome
    /// Claims a login whose link was opened no earlier than `openedSince`.
    func claimLogin(loginHash: String, now: Int64, openedSince: Int64) async throws -> LoginClaim

    // Users and subscriptions.
    func createUser(email: String?, tier: Tier, now: Int64) async throws -> UserRecord
    func user(id: Int) async throws -> UserRecord?
    func user(email: String) async throws -> UserRecord?
    func users() async throws -> [UserSummary]
    func subscription(user: Int) async throws -> Subscription?
    /// Returns false when the user does not exist.
    func setSubscription(user: Int, _ subscription: Subscription, now: Int64) async throws -> Bool

    // Devices.
    /// Inserts a device; `tokenHash` computes the hash of its token from the new device's id.
    func insertDevice(
        user: Int, name: String, platform: String, now: Int64, tokenHash: @Sendable (_ deviceID: Int) -> String
    ) async throws -> DeviceRecord
    func device(tokenHash: String) async throws -> DeviceRecord?
    func devices(user: Int) async throws -> [DeviceRecord]
    /// Deletes the device if it belongs to `user`; returns it, or nil when there was none.
    func deleteDevice(id: Int, user: Int) async throws -> DeviceRecord?
    func touchDevice(id: Int, now: Int64) async throws

    // Projects.
    /// Returns the user's project with `projectKey` if there is one; otherwise inserts one unless
    /// the user already has `limit(effective tier)` projects.
    func registerProject(
        user: Int, projectKey: String, name: String, roomID: String, now: Int64,
        limit: @Sendable (_ subscription: Subscription) -> (tier: Tier, limit: Int?)
    ) async throws -> ProjectRegistration
    func projects(user: Int) async throws -> [ProjectRecord]
    /// Deletes the project if it belongs to `user`; returns it, or nil when there was none.
    func deleteProject(id: Int, user: Int) async throws -> ProjectRecord?
    /// Whether one of `user`'s projects uses room `roomID`.
    func ownsRoom(user: Int, roomID: String) async throws -> Bool

    // Pairing codes.
    /// Returns false when a code with this hash already exists (the caller draws another).
    func insertPairingCode(codeHash: String, user: Int, expiresAt: Int64, now: Int64) async throws -> Bool
    func redeemPairingCode(codeHash: String, now: Int64) async throws -> PairingOutcome

    /// Deletes magic links and pairing codes that expired before `cutoff`.
    func deleteExpired(before cutoff: Int64) async throws
}
