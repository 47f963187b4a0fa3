import TandemTinyHost

extension TinyHostFeature {
    /// The `tinyhost.*` keys of relay.conf. Defaults come from `TinyHostSettings`.
    enum Keys {
        private static let defaults = TinyHostSettings()

        static let enabled = Setting.boolean(
            "tinyhost.enabled", defaults.isEnabled,
            "Serve the TinyHost API (/{namespace}/sign-up, sign-in, sign-out, /api/session) on the HTTP port")
        static let namespaces = Setting.text(
            "tinyhost.namespaces", "",
            "Comma-separated namespaces served; empty = any name of 1-64 of A-Z a-z 0-9 _ - that is not reserved")
        static let sessionDays = Setting.number(
            "tinyhost.session.days", 0.00001...36_500, Double(defaults.sessionLifetimeMillis) / 86_400_000,
            "How long a session works after sign-in, in days (fractions allowed)")
        static let sessionsPerUser = Setting.integer(
            "tinyhost.session.max.per.user", 1...100_000, defaults.maxSessionsPerUser,
            "Sessions one user may hold; a sign-in beyond it ends the oldest")
        static let maxBodyBytes = Setting.integer(
            "tinyhost.accounts.max.body.bytes", 1024...(1 << 20), defaults.maxRequestBytes,
            "Largest sign-up or sign-in request body (413 beyond)")
        static let passwordMinLength = Setting.integer(
            "tinyhost.password.min.length", 1...1024, defaults.password.minLength, "Fewest characters of a new password"
        )
        static let passwordMaxBytes = Setting.integer(
            "tinyhost.password.max.bytes", 16...4096, defaults.password.maxBytes, "Most UTF-8 bytes of a password")
        static let passwordOps = Setting.integer(
            "tinyhost.password.ops", 1...16, defaults.password.strength.operations,
            "Argon2id passes over memory (libsodium's interactive strength: 2)")
        static let passwordMemoryKiB = Setting.integer(
            "tinyhost.password.memory.kib", 8...4_194_304, defaults.password.strength.memoryKiB,
            "Argon2id memory per hash in KiB (interactive: 65536 = 64 MiB)")
        static let passwordParallel = Setting.integer(
            "tinyhost.password.parallel", 1...64, defaults.password.parallelHashes,
            "Password hashes computed at once (each holds tinyhost.password.memory.kib)")
        static let rateWindowSeconds = Setting.integer(
            "tinyhost.rate.window.seconds", 1...86_400, defaults.rateLimits.windowSeconds,
            "Window the TinyHost rate limits count in")
        static let signInsPerAddress = Setting.integer(
            "tinyhost.rate.signin.per.address", 1...1_000_000, defaults.rateLimits.signInsPerAddress,
            "Sign-in attempts per client address per window")
        static let signInsPerEmail = Setting.integer(
            "tinyhost.rate.signin.per.email", 1...1_000_000, defaults.rateLimits.signInsPerEmail,
            "Sign-in attempts per email (in one namespace) per window")
        static let signUpsPerAddress = Setting.integer(
            "tinyhost.rate.signup.per.address", 1...1_000_000, defaults.rateLimits.signUpsPerAddress,
            "Sign-up attempts per client address per window")
        static let maxMessageBytes = Setting.integer(
            "tinyhost.max.message.bytes", 1024...(64 << 20), defaults.sync.maxMessageBytes,
            "Largest TinyBase WebSocket message; larger ones close the socket with 1009")
        static let maxSendBytes = Setting.integer(
            "tinyhost.max.send.bytes", 4096...(16 << 20), defaults.sync.maxSendBytes,
            "Most bytes of one TinyBase message the server sends; larger diffs go as several messages")
        static let manualSyncMaxBytes = Setting.integer(
            "tinyhost.manual.sync.max.bytes", 1024...(1 << 30), defaults.sync.maxManualSyncBytes,
            "Largest POST /{namespace}/manual-sync body")
        static let heartbeatSeconds = Setting.integer(
            "tinyhost.heartbeat.seconds", 0...86_400, Int(defaults.sync.heartbeatInterval.components.seconds),
            "Period of the heartbeat value each store with connected clients sets (0 = off)")
        static let maxClientsPerStore = Setting.integer(
            "tinyhost.max.clients.per.store", 1...100_000, defaults.sync.maxClientsPerStore,
            "Most TinyBase sockets on one user's store (tabs and devices)")

        static let all = [
            enabled.key, namespaces.key, sessionDays.key, sessionsPerUser.key, maxBodyBytes.key,
            passwordMinLength.key, passwordMaxBytes.key, passwordOps.key, passwordMemoryKiB.key, passwordParallel.key,
            rateWindowSeconds.key, signInsPerAddress.key, signInsPerEmail.key, signUpsPerAddress.key,
            maxMessageBytes.key, maxSendBytes.key, manualSyncMaxBytes.key, heartbeatSeconds.key,
            maxClientsPerStore.key,
        ]
    }

    /// The `tinyhost.*` settings from a loader whose values were already checked against their keys.
    static func configuration(_ settings: ConfigLoader) throws(ConfigError) -> TinyHostSettings {
        let namespaces: TinyHostNamespaces
        do throws(TinyHostError) {
            namespaces = try TinyHostNamespaces(list: settings[Keys.namespaces])
        } catch {
            let name = if case .unknownNamespace(let name) = error { name } else { "" }
            throw ConfigError(
                description: """
                    tinyhost.namespaces: '\(name)' is not a namespace: 1-64 of A-Z a-z 0-9 _ -, \
                    and none of \(TinyHostNamespaces.reserved.sorted().joined(separator: ", "))
                    """)
        }
        var tinyHost = TinyHostSettings(namespaces: namespaces)
        tinyHost.isEnabled = settings[Keys.enabled]
        tinyHost.sessionLifetimeMillis = max(1, Int64((settings[Keys.sessionDays] * 86_400_000).rounded()))
        tinyHost.maxSessionsPerUser = settings[Keys.sessionsPerUser]
        tinyHost.maxRequestBytes = settings[Keys.maxBodyBytes]
        tinyHost.password.minLength = settings[Keys.passwordMinLength]
        tinyHost.password.maxBytes = settings[Keys.passwordMaxBytes]
        if tinyHost.password.minLength > tinyHost.password.maxBytes {
            throw ConfigError(description: "tinyhost.password.min.length must not exceed tinyhost.password.max.bytes")
        }
        tinyHost.password.strength = PasswordStrength(
            operations: settings[Keys.passwordOps], memoryKiB: settings[Keys.passwordMemoryKiB])
        tinyHost.password.parallelHashes = settings[Keys.passwordParallel]
        tinyHost.rateLimits.windowSeconds = settings[Keys.rateWindowSeconds]
        tinyHost.rateLimits.signInsPerAddress = settings[Keys.signInsPerAddress]
        tinyHost.rateLimits.signInsPerEmail = settings[Keys.signInsPerEmail]
        tinyHost.rateLimits.signUpsPerAddress = settings[Keys.signUpsPerAddress]
        tinyHost.sync.maxMessageBytes = settings[Keys.maxMessageBytes]
        tinyHost.sync.maxSendBytes = settings[Keys.maxSendBytes]
        tinyHost.sync.maxManualSyncBytes = settings[Keys.manualSyncMaxBytes]
        tinyHost.sync.heartbeatInterval = .seconds(settings[Keys.heartbeatSeconds])
        tinyHost.sync.maxClientsPerStore = settings[Keys.maxClientsPerStore]
        return tinyHost
    }
}
