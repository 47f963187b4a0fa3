import Foundation
package import Logging
package import TandemConnection

/// TinyHost's accounts: sign-up with email and password, sign-in to a session, sign-out, and
/// the session check every other TinyHost route makes.
///
/// Transport-free: the HTTP routes call it; it talks to a `TinyHostAccountStore`. Passwords are
/// hashed with Argon2id off the cooperative pool (`PasswordHasher`); session UUIDs are stored
/// only as SHA-256 hashes.
package actor TinyHostAccounts {
    package nonisolated let settings: TinyHostSettings
    package nonisolated let hasher: PasswordHasher
    let store: any TinyHostAccountStore
    let clock: WallClock
    let logger: Logger
    let signInsPerAddress: RequestLimiter
    let signInsPerEmail: RequestLimiter
    let signUpsPerAddress: RequestLimiter
    /// Checked when the email is unknown, so that answer takes as long as a wrong password.
    private var dummyHash: String?

    package init(
        store: any TinyHostAccountStore, settings: TinyHostSettings, clock: WallClock = .system,
        logger: Logger = Logger(label: "tandem.tinyhost")
    ) {
        self.store = store
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.hasher = PasswordHasher(
            strength: settings.password.strength, parallelHashes: settings.password.parallelHashes,
            maxWaiting: settings.password.maxWaitingHashes)
        let window = Int64(settings.rateLimits.windowSeconds) * 1000
        signInsPerAddress = RequestLimiter(limit: settings.rateLimits.signInsPerAddress, windowMillis: window)
        signInsPerEmail = RequestLimiter(limit: settings.rateLimits.signInsPerEmail, windowMillis: window)
        signUpsPerAddress = RequestLimiter(limit: settings.rateLimits.signUpsPerAddress, windowMillis: window)
    }

    /// Creates an account. The email is trimmed and lower-cased; it must be new in `namespace`.
    package func signUp(
        namespace: String, email rawEmail: String?, password rawPassword: String?, clientAddress: String
    )
        async throws(TinyHostError)
    {
        try settings.namespaces.validate(namespace)
        let email = try TinyHostInput.email(rawEmail)
        let password = try TinyHostInput.password(rawPassword, settings.password, isNew: true)
        try admit(signUpsPerAddress, clientAddress)
        // Refuse a taken address before paying for a hash; the insert below settles races.
        if try await storage({ try await $0.credentials(namespace: namespace, email: email) }) != nil {
            throw .emailTaken
        }
        let hash = try await hasher.hash(password)
        let user = NewTinyHostUser(
            namespace: namespace, email: email, passwordHash: hash, storeName: SessionToken.generate(),
            createdAt: clock.now())
        guard let created = try await storage({ try await $0.insertUser(user) }) else { throw .emailTaken }
        logger.info("tinyhost account created", metadata: ["namespace": "\(namespace)", "user": "\(created.id)"])
    }

    /// Checks the password and opens a session.
    /// - Returns: the session UUID (handed out only here), the session and its user.
    package func signIn(
        namespace: String, email rawEmail: String?, password rawPassword: String?, clientAddress: String
    )
        async throws(TinyHostError) -> (sessionUUID: String, session: TinyHostSession, user: TinyHostUser)
    {
        try settings.namespaces.validate(namespace)
        let email = try TinyHostInput.email(rawEmail)
        let password = try TinyHostInput.password(rawPassword, settings.password, isNew: false)
        try admit(signInsPerAddress, clientAddress)
        try admit(signInsPerEmail, namespace + "\u{0}" + email)
        let credentials = try await storage { try await $0.credentials(namespace: namespace, email: email) }
        guard let credentials else {
            _ = try await hasher.verify(password, against: try await dummy())
            throw .invalidCredentials
        }
        guard try await hasher.verify(password, against: credentials.passwordHash) else {
            throw .invalidCredentials
        }
        if hasher.needsRehash(credentials.passwordHash) {
            await rehash(password, user: credentials.user.id)
        }
        let uuid = SessionToken.generate()
        let now = clock.now()
        let expiresAt = now + settings.sessionLifetimeMillis
        let maxSessions = settings.maxSessionsPerUser
        try await storage {
            try await $0.insertSession(
                NewTinyHostSession(
                    tokenHash: SessionToken.hash(uuid), userID: credentials.user.id, createdAt: now,
                    expiresAt: expiresAt),
                maxPerUser: maxSessions)
        }
        let session = TinyHostSession(
            createdAt: TinyHostTime.date(millis: now), expiresAt: TinyHostTime.date(millis: expiresAt))
        return (uuid, session, credentials.user)
    }

    /// Ends a session at once. An unknown (or already ended) session is refused with
    /// `invalidSession`, an expired one with `sessionExpired` (and deleted).
    /// - Parameter namespace: when set, the session must belong to it.
    package func signOut(sessionUUID: String, namespace: String? = nil) async throws(TinyHostError) {
        _ = try await authenticate(sessionUUID: sessionUUID, namespace: namespace)
        guard let canonical = SessionToken.normalize(sessionUUID) else { throw .invalidSession }
        let hash = SessionToken.hash(canonical)
        guard try await storage({ try await $0.deleteSession(tokenHash: hash) }) else { throw .invalidSession }
    }

    /// The session's user; namespace nil = any namespace. Expired/unknown → TinyHostError (401).
    package func authenticate(sessionUUID: String, namespace: String?) async throws(TinyHostError) -> (
        session: TinyHostSession, user: TinyHostUser
    ) {
        guard !sessionUUID.isEmpty else { throw .sessionRequired }
        guard let canonical = SessionToken.normalize(sessionUUID) else { throw .invalidSession }
        let hash = SessionToken.hash(canonical)
        guard let found = try await storage({ try await $0.session(tokenHash: hash) }) else {
            throw .invalidSession
        }
        if let namespace, found.user.namespace != namespace { throw .invalidSession }
        if found.session.expiresAt <= TinyHostTime.date(millis: clock.now()) {
            _ = try await storage { try await $0.deleteSession(tokenHash: hash) }
            throw .sessionExpired
        }
        return found
    }

    /// Deletes every expired session; returns how many.
    @discardableResult
    package func purgeExpiredSessions() async throws(TinyHostError) -> Int {
        let now = clock.now()
        return try await storage { try await $0.deleteSessions(expiredAt: now) }
    }

    /// Makes the dummy hash now, so the first sign-in with an unknown email is not slower than
    /// the rest (it would otherwise pay for making it).
    package func prepare() async throws(TinyHostError) {
        _ = try await dummy()
    }

    /// A hash of a random password at the configured strength, made once.
    private func dummy() async throws(TinyHostError) -> String {
        if let dummyHash { return dummyHash }
        let made = try await hasher.hash(SessionToken.generate())
        dummyHash = made
        return made
    }

    /// Stores a hash at the current strength; a failure only costs the upgrade.
    private func rehash(_ password: String, user: Int64) async {
        do {
            let fresh = try await hasher.hash(password)
            try await storage { try await $0.updatePasswordHash(user: user, passwordHash: fresh) }
        } catch {
            logger.warning("password rehash failed", metadata: ["user": "\(user)", "error": "\(error)"])
        }
    }

    private func admit(_ limiter: RequestLimiter, _ key: String) throws(TinyHostError) {
        if let wait = limiter.admit(key, now: clock.now()) {
            throw .rateLimited(retryAfterSeconds: Int((wait + 999) / 1000))
        }
    }

    /// Runs a store call, logging its failure and answering `internalError`.
    private func storage<T: Sendable>(_ body: (any TinyHostAccountStore) async throws -> T) async throws(TinyHostError)
        -> T
    {
        do {
            return try await body(store)
        } catch {
            logger.error("tinyhost storage failed", metadata: ["error": "\(error)"])
            throw .internalError
        }
    }
}
