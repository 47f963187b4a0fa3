import Logging
import TandemConnection
import TandemLAN
import TandemRelay
import TandemSDS
import TandemSQLite
import TandemTinyHost

/// The server's validated settings. Built once at start-up by `ConfigLoader`.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var httpPort: Int
    public var webSocketPort: Int
    /// Empty means development mode: tokens are not checked.
    public var authSecret: String
    public var acceptsLegacyTokens: Bool
    public var allowInsecure: Bool
    public var sqlitePath: String
    public var durability: Durability
    public var limits: RelayLimits
    /// How long a new connection may take to join.
    public var joinTimeout: Duration
    /// WebSocket ping period; nil turns pings off.
    public var pingInterval: Duration?
    /// Stored messages older than this many days are deleted; 0 keeps them forever.
    public var retentionDays: Int
    public var logLevel: Logger.Level
    /// Empty turns the SDS endpoints off.
    public var sdsSecret: String
    public var sdsIssuer: String?
    public var sds: SDSSettings
    public var lan: LANConfiguration
    /// The TinyHost accounts (and sync) settings, `tinyhost.*`.
    public var tinyHost: TinyHostSettings

    /// Start-up notes about the sources read (say, environment variables that are no settings).
    public var warnings: [String] = []

    /// Listeners without a port of their own follow `port`: these offsets from it (0 stays 0).
    static let webSocketPortOffset = 1
    static let accountsPortOffset = 2
    static let lanPortOffset = 3

    /// The port `name` sets, else `base + offset` (0 when `base` is 0: every port picked freely).
    static func port(_ settings: ConfigLoader, _ name: String, following base: Int, offset: Int)
        throws(ConfigError) -> Int
    {
        if let explicit = settings.values[name], let port = Int(explicit) { return port }
        guard base != 0 else { return 0 }
        guard base + offset <= 65535 else {
            throw ConfigError(description: "\(name): port + \(offset) is past 65535; set \(name) explicitly")
        }
        return base + offset
    }

    /// Whether tokens go unchecked.
    public var isDevelopmentMode: Bool { authSecret.isEmpty }

    /// Whether `host` only accepts connections from this machine.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    init(settings: ConfigLoader) throws(ConfigError) {
        func required<T>(_ value: T?, _ name: String) throws(ConfigError) -> T {
            guard let value else { throw ConfigError(description: "\(name): missing value") }
            return value
        }
        host = try required(settings.string("host"), "host")
        httpPort = try required(settings.integer("port"), "port")
        webSocketPort = try Self.port(settings, "ws.port", following: httpPort, offset: Self.webSocketPortOffset)
        guard webSocketPort == 0 || webSocketPort != httpPort else {
            throw ConfigError(description: "ws.port: must differ from port (\(httpPort))")
        }
        authSecret = try required(settings.string("auth.secret"), "auth.secret")
        acceptsLegacyTokens = settings.boolean("auth.legacy.tokens")
        allowInsecure = settings.boolean("allow.insecure")
        sqlitePath = try required(settings.string("sqlite.path"), "sqlite.path")
        durability = Durability(rawValue: try required(settings.string("durability"), "durability")) ?? .commit

        var limits = RelayLimits()
        limits.maxRooms = try required(settings.integer("max.rooms"), "max.rooms")
        limits.maxMembersPerRoom = try required(settings.integer("max.clients.per.room"), "max.clients.per.room")
        limits.maxMessageBytes = try required(settings.integer("max.message.bytes"), "max.message.bytes")
        limits.bufferTTLMillis =
            Int64(try required(settings.integer("buffer.ttl.seconds"), "buffer.ttl.seconds")) * 1000
        limits.maxBufferBytes = try required(settings.integer("buffer.max.bytes"), "buffer.max.bytes")
        limits.maxOutboundBytes = try required(settings.integer("outbound.max.bytes"), "outbound.max.bytes")
        limits.rate.messagesPerSecond = try required(
            settings.number("rate.messages.per.second"), "rate.messages.per.second")
        limits.rate.burst = Double(try required(settings.integer("rate.burst"), "rate.burst"))
        self.limits = limits
        if settings.values["rate.abuse.refusals"] != nil {
            warnings.append(
                "rate.abuse.refusals has no effect any more: a client over the rate is slowed (its socket is read "
                    + "no faster than rate.messages.per.second), never refused or closed")
        }

        joinTimeout = .seconds(try required(settings.integer("join.timeout.seconds"), "join.timeout.seconds"))
        let ping = try required(settings.integer("ping.interval.seconds"), "ping.interval.seconds")
        pingInterval = ping > 0 ? .seconds(ping) : nil
        retentionDays = try required(settings.integer("retention.days"), "retention.days")
        logLevel = Logger.Level(rawValue: try required(settings.string("log.level"), "log.level")) ?? .info
        sdsSecret = try required(settings.string("sds.jwt.secret"), "sds.jwt.secret")
        if !sdsSecret.isEmpty && sdsSecret.count < SDSTokenAuthority.minimumSecretLength {
            throw ConfigError(
                description:
                    "sds.jwt.secret must be at least \(SDSTokenAuthority.minimumSecretLength) characters (it has \(sdsSecret.count))"
            )
        }
        sdsIssuer = settings.string("sds.issuer").flatMap { $0.isEmpty ? nil : $0 }
        sds = SDSSettings()
        sds.persists = settings.boolean("sds.persist")
        sds.maxFrameBytes = try required(settings.integer("sds.max.frame.bytes"), "sds.max.frame.bytes")
        sds.maxValueBytes = try required(settings.integer("sds.max.value.bytes"), "sds.max.value.bytes")
        sds.maxStoreBytes = try required(settings.integer("sds.max.store.bytes"), "sds.max.store.bytes")

        lan = LANConfiguration()
        lan.isEnabled = settings.boolean("lan.enabled")
        lan.host = try required(settings.string("lan.host"), "lan.host")
        // A port past 65535 matters only when the endpoint runs.
        lan.port =
            lan.isEnabled
            ? try Self.port(settings, "lan.port", following: httpPort, offset: Self.lanPortOffset)
            : (try? Self.port(settings, "lan.port", following: httpPort, offset: Self.lanPortOffset)) ?? 0
        lan.secret = try required(settings.string("lan.secret"), "lan.secret")
        if lan.secret.contains(":") {
            throw ConfigError(description: "lan.secret must not contain ':' (the pairing payload is ip:port:secret)")
        }
        lan.settings.policy =
            DecisionPolicy(rawValue: try required(settings.string("lan.decision.policy"), "lan.decision.policy"))
            ?? .ask
        lan.settings.decisionTimeout = .seconds(
            try required(settings.integer("lan.decision.timeout.seconds"), "lan.decision.timeout.seconds"))
        lan.settings.maxFileBytes = try required(settings.integer("lan.max.file.bytes"), "lan.max.file.bytes")
        lan.filesPath = try required(settings.string("lan.files.path"), "lan.files.path")
        lan.settings.handshakeTimeout = joinTimeout
        if lan.isEnabled && lan.port != 0 && (lan.port == httpPort || lan.port == webSocketPort) {
            throw ConfigError(description: "lan.port: must differ from port and ws.port (\(lan.port))")
        }

        tinyHost = try TinyHostSettings(settings)

        if authSecret.isEmpty && !isLoopback && !allowInsecure {
            throw ConfigError(
                description: """
                    auth.secret is empty, so tokens would not be checked, and host \(host) is reachable from \
                    other machines. Set auth.secret, listen on 127.0.0.1, or set allow.insecure=true (--insecure).
                    """)
        }
    }
}

/// The LAN endpoint's part of the configuration (`lan.*` keys).
public struct LANConfiguration: Sendable {
    public var isEnabled = false
    public var host = "0.0.0.0"
    public var port = 8446
    /// Empty: use the secret kept in the database, generating it on first start.
    public var secret = ""
    public var filesPath = "./lan-files"
    public var settings = LANSettings()
}
