import TandemTinyHost

extension ConfigKey {
    /// The `tinyhost.*` keys of relay.conf. README's configuration table lists the same.
    static let tinyHost: [ConfigKey] = [
        ConfigKey(
            "tinyhost.enabled", .boolean, "true",
            "Serve the TinyHost API (/{namespace}/sign-up, sign-in, sign-out, /api/session) on the HTTP port"),
        ConfigKey(
            "tinyhost.namespaces", .string, "",
            "Comma-separated namespaces served; empty = any name of 1-64 of A-Z a-z 0-9 _ - that is not reserved"),
        ConfigKey(
            "tinyhost.session.days", .number(0.00001...36_500), "365",
            "How long a session works after sign-in, in days (fractions allowed)"),
        ConfigKey(
            "tinyhost.session.max.per.user", .integer(1...100_000), "100",
            "Sessions one user may hold; a sign-in beyond it ends the oldest"),
        ConfigKey(
            "tinyhost.accounts.max.body.bytes", .integer(1024...(1 << 20)), "65536",
            "Largest sign-up or sign-in request body (413 beyond)"),
        ConfigKey("tinyhost.password.min.length", .integer(1...1024), "8", "Fewest characters of a new password"),
        ConfigKey("tinyhost.password.max.bytes", .integer(16...4096), "1024", "Most UTF-8 bytes of a password"),
        ConfigKey(
            "tinyhost.password.ops", .integer(1...16), "2",
            "Argon2id passes over memory (libsodium's interactive strength: 2)"),
        ConfigKey(
            "tinyhost.password.memory.kib", .integer(8...4_194_304), "65536",
            "Argon2id memory per hash in KiB (interactive: 65536 = 64 MiB)"),
        ConfigKey(
            "tinyhost.password.parallel", .integer(1...64), "2",
            "Password hashes computed at once (each holds tinyhost.password.memory.kib)"),
        ConfigKey(
            "tinyhost.rate.window.seconds", .integer(1...86_400), "900", "Window the TinyHost rate limits count in"),
        ConfigKey(
            "tinyhost.rate.signin.per.address", .integer(1...1_000_000), "30",
            "Sign-in attempts per client address per window"),
        ConfigKey(
            "tinyhost.rate.signin.per.email", .integer(1...1_000_000), "10",
            "Sign-in attempts per email (in one namespace) per window"),
        ConfigKey(
            "tinyhost.rate.signup.per.address", .integer(1...1_000_000), "20",
            "Sign-up attempts per client address per window"),
        ConfigKey(
            "tinyhost.max.message.bytes", .integer(1024...(64 << 20)), "1048576",
            "Largest TinyBase WebSocket message; larger ones close the socket with 1009"),
        ConfigKey(
            "tinyhost.max.send.bytes", .integer(4096...(16 << 20)), "1048576",
            "Most bytes of one TinyBase message the server sends; larger diffs go as several messages"),
        ConfigKey(
            "tinyhost.manual.sync.max.bytes", .integer(1024...(1 << 30)), "67108864",
            "Largest POST /{namespace}/manual-sync body"),
        ConfigKey(
            "tinyhost.heartbeat.seconds", .integer(0...86_400), "10",
            "Period of the heartbeat value each store with connected clients sets (0 = off)"),
        ConfigKey(
            "tinyhost.max.clients.per.store", .integer(1...100_000), "64",
            "Most TinyBase sockets on one user's store (tabs and devices)"),
    ]
}

extension TinyHostSettings {
    /// The `tinyhost.*` settings from a loader whose values were already checked against their keys.
    init(_ settings: ConfigLoader) throws(ConfigError) {
        func value(_ name: String) throws(ConfigError) -> Int {
            guard let value = settings.integer(name) else { throw ConfigError(description: "\(name): missing value") }
            return value
        }
        let namespaces: TinyHostNamespaces
        do throws(TinyHostError) {
            namespaces = try TinyHostNamespaces(list: settings.string("tinyhost.namespaces") ?? "")
        } catch {
            throw ConfigError(
                description: """
                    tinyhost.namespaces: '\(error.unknownNamespace ?? "")' is not a namespace: 1-64 of A-Z a-z 0-9 _ -, \
                    and none of \(TinyHostNamespaces.reserved.sorted().joined(separator: ", "))
                    """)
        }
        self.init(namespaces: namespaces)
        isEnabled = settings.boolean("tinyhost.enabled")
        guard let days = settings.number("tinyhost.session.days") else {
            throw ConfigError(description: "tinyhost.session.days: missing value")
        }
        sessionLifetimeMillis = max(1, Int64((days * 86_400_000).rounded()))
        maxSessionsPerUser = try value("tinyhost.session.max.per.user")
        maxRequestBytes = try value("tinyhost.accounts.max.body.bytes")
        password.minLength = try value("tinyhost.password.min.length")
        password.maxBytes = try value("tinyhost.password.max.bytes")
        if password.minLength > password.maxBytes {
            throw ConfigError(description: "tinyhost.password.min.length must not exceed tinyhost.password.max.bytes")
        }
        password.strength = PasswordStrength(
            operations: try value("tinyhost.password.ops"), memoryKiB: try value("tinyhost.password.memory.kib"))
        password.parallelHashes = try value("tinyhost.password.parallel")
        rateLimits.windowSeconds = try value("tinyhost.rate.window.seconds")
        rateLimits.signInsPerAddress = try value("tinyhost.rate.signin.per.address")
        rateLimits.signInsPerEmail = try value("tinyhost.rate.signin.per.email")
        rateLimits.signUpsPerAddress = try value("tinyhost.rate.signup.per.address")
        sync.maxMessageBytes = try value("tinyhost.max.message.bytes")
        sync.maxSendBytes = try value("tinyhost.max.send.bytes")
        sync.maxManualSyncBytes = try value("tinyhost.manual.sync.max.bytes")
        sync.heartbeatInterval = .seconds(try value("tinyhost.heartbeat.seconds"))
        sync.maxClientsPerStore = try value("tinyhost.max.clients.per.store")
    }
}

extension TinyHostError {
    /// The name an `unknownNamespace` error carries.
    fileprivate var unknownNamespace: String? {
        if case .unknownNamespace(let name) = self { return name }
        return nil
    }
}
