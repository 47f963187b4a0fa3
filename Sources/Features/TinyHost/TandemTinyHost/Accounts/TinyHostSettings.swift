/// The TinyHost service's rules (`tinyhost.*` keys). Every limit is configurable.
package struct TinyHostSettings: Sendable, Equatable {
    /// Whether the TinyHost routes are served at all.
    package var isEnabled = true
    package var namespaces: TinyHostNamespaces
    /// How long a session works after sign-in.
    package var sessionLifetimeMillis: Int64 = 365 * 86_400_000
    /// Sessions one user may hold; a sign-in beyond it ends that user's oldest session.
    package var maxSessionsPerUser = 100
    package var password = TinyHostPasswordPolicy()
    package var rateLimits = TinyHostRateLimits()
    /// Largest request body the account routes read (sign-up, sign-in).
    package var maxRequestBytes = 64 << 10
    /// The TinyBase sync endpoint's limits and timings.
    package var sync = TinyBaseSyncSettings()

    package init(namespaces: TinyHostNamespaces = .any) {
        self.namespaces = namespaces
    }
}

/// Password rules and the cost of hashing them.
package struct TinyHostPasswordPolicy: Sendable, Equatable {
    /// Fewest characters (grapheme clusters) a new password may have.
    package var minLength = 8
    /// Most UTF-8 bytes a password may have; bounds the work one request can cause.
    package var maxBytes = 1024
    package var strength = PasswordStrength.interactive
    /// Hashes computed at once; each holds `strength.memoryKiB` of memory while it runs.
    package var parallelHashes = 2
    /// Requests that may wait for a hashing slot before the server answers 503 `busy`.
    package var maxWaitingHashes = 64

    package init() {}
}

/// Argon2id's cost parameters: passes over memory and memory in KiB.
package struct PasswordStrength: Sendable, Equatable {
    package var operations: Int
    package var memoryKiB: Int

    package init(operations: Int, memoryKiB: Int) {
        self.operations = operations
        self.memoryKiB = memoryKiB
    }

    /// libsodium's interactive limits: 2 passes over 64 MiB (about 0.1 s on a desktop core).
    package static let interactive = PasswordStrength(operations: 2, memoryKiB: 64 << 10)
    /// libsodium's minimum (1 pass, 8 KiB): for tests only.
    package static let minimum = PasswordStrength(operations: 1, memoryKiB: 8)
}

/// Sign-in and sign-up limits, each counted within `windowSeconds`.
package struct TinyHostRateLimits: Sendable, Equatable {
    package var windowSeconds = 900
    /// Sign-in attempts from one client address.
    package var signInsPerAddress = 30
    /// Sign-in attempts for one email in one namespace, from anywhere.
    package var signInsPerEmail = 10
    /// Sign-up attempts from one client address.
    package var signUpsPerAddress = 20

    package init() {}
}
