/// The TinyHost service's rules (`tinyhost.*` keys). Every limit is configurable.
public struct TinyHostSettings: Sendable, Equatable {
    /// Whether the TinyHost routes are served at all.
    public var isEnabled = true
    public var namespaces: TinyHostNamespaces
    /// How long a session works after sign-in.
    public var sessionLifetimeMillis: Int64 = 365 * 86_400_000
    /// Sessions one user may hold; a sign-in beyond it ends that user's oldest session.
    public var maxSessionsPerUser = 100
    public var password = TinyHostPasswordPolicy()
    public var rateLimits = TinyHostRateLimits()
    /// Largest request body the account routes read (sign-up, sign-in).
    public var maxRequestBytes = 64 << 10
    /// The TinyBase sync endpoint's limits and timings.
    public var sync = TinyBaseSyncSettings()

    public init(namespaces: TinyHostNamespaces = .any) {
        self.namespaces = namespaces
    }
}

/// Password rules and the cost of hashing them.
public struct TinyHostPasswordPolicy: Sendable, Equatable {
    /// Fewest characters (grapheme clusters) a new password may have.
    public var minLength = 8
    /// Most UTF-8 bytes a password may have; bounds the work one request can cause.
    public var maxBytes = 1024
    public var strength = PasswordStrength.interactive
    /// Hashes computed at once; each holds `strength.memoryKiB` of memory while it runs.
    public var parallelHashes = 2
    /// Requests that may wait for a hashing slot before the server answers 503 `busy`.
    public var maxWaitingHashes = 64

    public init() {}
}

/// Argon2id's cost parameters: passes over memory and memory in KiB.
public struct PasswordStrength: Sendable, Equatable {
    public var operations: Int
    public var memoryKiB: Int

    public init(operations: Int, memoryKiB: Int) {
        self.operations = operations
        self.memoryKiB = memoryKiB
    }

    /// libsodium's interactive limits: 2 passes over 64 MiB (about 0.1 s on a desktop core).
    public static let interactive = PasswordStrength(operations: 2, memoryKiB: 64 << 10)
    /// libsodium's minimum (1 pass, 8 KiB): for tests only.
    public static let minimum = PasswordStrength(operations: 1, memoryKiB: 8)
}

/// Sign-in and sign-up limits, each counted within `windowSeconds`.
public struct TinyHostRateLimits: Sendable, Equatable {
    public var windowSeconds = 900
    /// Sign-in attempts from one client address.
    public var signInsPerAddress = 30
    /// Sign-in attempts for one email in one namespace, from anywhere.
    public var signInsPerEmail = 10
    /// Sign-up attempts from one client address.
    public var signUpsPerAddress = 20

    public init() {}
}
