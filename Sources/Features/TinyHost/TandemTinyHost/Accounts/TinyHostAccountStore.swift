/// Storage for TinyHost users and sessions.
///
/// SQLite implements it now and PostgreSQL can later. Times are milliseconds since 1970.
/// Session UUIDs never reach the store: it sees only their SHA-256 (`tokenHash`).
package protocol TinyHostAccountStore: Sendable {
    /// Inserts a user; returns nil when `(namespace, email)` is already taken.
    func insertUser(_ user: NewTinyHostUser) async throws -> TinyHostUser?
    /// The user with `email` in `namespace`, with the stored password hash.
    func credentials(namespace: String, email: String) async throws -> TinyHostCredentials?
    /// Replaces a user's password hash (after a change of hashing strength).
    func updatePasswordHash(user: Int64, passwordHash: String) async throws

    /// Inserts a session, then deletes the user's oldest sessions beyond `maxPerUser`, in one
    /// transaction.
    func insertSession(_ session: NewTinyHostSession, maxPerUser: Int) async throws
    /// The session with this hash and its user, expired or not.
    func session(tokenHash: String) async throws -> (session: TinyHostSession, user: TinyHostUser)?
    /// Returns false when there was no such session.
    func deleteSession(tokenHash: String) async throws -> Bool
    /// Deletes sessions that expired at or before `now`; returns how many.
    func deleteSessions(expiredAt now: Int64) async throws -> Int
}

/// A user about to be inserted.
package struct NewTinyHostUser: Sendable, Equatable {
    package let namespace: String
    package let email: String
    /// Argon2id in libsodium's string format (`$argon2id$v=19$m=…,t=…,p=1$salt$hash`).
    package let passwordHash: String
    package let storeName: String
    package let createdAt: Int64

    package init(namespace: String, email: String, passwordHash: String, storeName: String, createdAt: Int64) {
        self.namespace = namespace
        self.email = email
        self.passwordHash = passwordHash
        self.storeName = storeName
        self.createdAt = createdAt
    }
}

/// A user and the hash to check a password against.
package struct TinyHostCredentials: Sendable, Equatable {
    package let user: TinyHostUser
    package let passwordHash: String

    package init(user: TinyHostUser, passwordHash: String) {
        self.user = user
        self.passwordHash = passwordHash
    }
}

/// A session about to be inserted.
package struct NewTinyHostSession: Sendable, Equatable {
    package let tokenHash: String
    package let userID: Int64
    package let createdAt: Int64
    package let expiresAt: Int64

    package init(tokenHash: String, userID: Int64, createdAt: Int64, expiresAt: Int64) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
