package import Logging
package import TandemConnection
import TandemLAN
package import TandemRelay
package import TandemSDS
package import TandemSQLite
package import TandemTinyHost

/// The server's validated settings. Built once at start-up by `ConfigLoader`.
package struct ServerConfiguration: Sendable {
    package var host: String
    package var httpPort: Int
    package var webSocketPort: Int
    /// Empty means development mode: tokens are not checked.
    package var authSecret: String
    package var acceptsLegacyTokens: Bool
    package var allowInsecure: Bool
    package var sqlitePath: String
    package var durability: Durability
    package var limits: RelayLimits
    /// How long a new connection may take to join.
    package var joinTimeout: Duration
    /// Most connections one client address may hold open on the WebSocket listeners; 0 = no limit.
    public var maxConnectionsPerAddress: Int
    /// WebSocket ping period; nil turns pings off.
    package var pingInterval: Duration?
    /// Stored messages older than this many days are deleted; 0 keeps them forever.
    package var retentionDays: Int
    package var logLevel: Logger.Level
    /// New connections per second and burst per client address; nil: no limit.
    package var connectionRate: RateLimit?
    /// How long a new connection may take to send its first HTTP request head.
    package var handshakeTimeout: Duration
    /// The HTTP and WebSocket ports' certificate and key; nil: plain TCP.
    package var tls: TLSSettings?
    /// The reverse proxies whose forwarding header names the client.
    package var trustedProxies: TrustedProxies
    /// Whether every WebSocket listener echoes at `/conformance/echo` (conformance tests; loopback only).
    package var conformanceEcho: Bool
    /// Empty turns the SDS endpoints off.
    package var sdsSecret: String
    package var sdsIssuer: String?
    package var sds: SDSSettings
    package var lan: LANConfiguration
    /// The TinyHost accounts (and sync) settings, `tinyhost.*`.
    package var tinyHost: TinyHostSettings

    /// Start-up notes about the sources read (say, environment variables that are no settings).
    package var warnings: [String] = []

    /// Listeners without a port of their own follow `port`: these offsets from it (0 stays 0).
    static let webSocketPortOffset = 1
    static let accountsPortOffset = 2
    static let lanPortOffset = 3

    /// `explicit` when a source set it, else `base + offset` (0 when `base` is 0: every port picked
    /// freely); `name` is the setting, for the error.
    static func port(_ explicit: Int?, _ name: String, following base: Int, offset: Int) throws(ConfigError) -> Int {
        if let explicit { return explicit }
        guard base != 0 else { return 0 }
        guard base + offset <= 65535 else {
            throw ConfigError(description: "\(name): port + \(offset) is past 65535; set \(name) explicitly")
        }
        return base + offset
    }

    /// Whether tokens go unchecked.
    package var isDevelopmentMode: Bool { authSecret.isEmpty }

    /// Whether `host` only accepts connections from this machine.
    package var isLoopback: Bool { Self.isLoopback(host) }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    init(settings: ConfigLoader) throws(ConfigError) {
        typealias Keys = RelayKeys
        host = settings[Keys.host]
        httpPort = settings[Keys.port]
        webSocketPort = try Self.port(
            settings.given(Keys.webSocketPort), Keys.webSocketPort.name, following: httpPort,
            offset: Self.webSocketPortOffset)
        guard webSocketPort == 0 || webSocketPort != httpPort else {
            throw ConfigError(description: "ws.port: must differ from port (\(httpPort))")
        }
        authSecret = settings[Keys.authSecret]
        acceptsLegacyTokens = settings[Keys.legacyTokens]
        allowInsecure = settings[Keys.allowInsecure]
        sqlitePath = settings[Keys.sqlitePath]
        durability = settings[Keys.durability]

        var limits = RelayLimits()
        limits.maxRooms = settings[Keys.maxRooms]
        limits.maxMembersPerRoom = settings[Keys.maxClientsPerRoom]
        limits.maxMessageBytes = settings[Keys.maxMessageBytes]
        limits.bufferTTLMillis = Int64(settings[Keys.bufferTTLSeconds]) * 1000
        limits.maxBufferBytes = settings[Keys.bufferMaxBytes]
        limits.maxOutboundBytes = settings[Keys.outboundMaxBytes]
        limits.rate.messagesPerSecond = settings[Keys.ratePerSecond]
        limits.rate.burst = Double(settings[Keys.rateBurst])
        self.limits = limits
        if settings.given(Keys.abuseRefusals) != nil {
            warnings.append(
                "rate.abuse.refusals has no effect any more: a client over the rate is slowed (its socket is read "
                    + "no faster than rate.messages.per.second), never refused or closed")
        }

        joinTimeout = .seconds(settings[Keys.joinTimeoutSeconds])
        let ping = settings[Keys.pingIntervalSeconds]
        pingInterval = ping > 0 ? .seconds(ping) : nil
        retentionDays = settings[Keys.retentionDays]
        maxConnectionsPerAddress = settings[Keys.connectionsPerAddress]
        logLevel = settings[Keys.logLevel]
        conformanceEcho = settings[Keys.conformanceEcho]
        handshakeTimeout = .seconds(settings[Keys.handshakeTimeoutSeconds])
        let perSecond = settings[Keys.connectionRate]
        if perSecond > 0 {
            var rate = RateLimit()
            rate.messagesPerSecond = perSecond
            rate.burst = Double(settings[Keys.connectionBurst])
            connectionRate = rate
        }
        trustedProxies = try TrustedProxies(parsing: settings[Keys.trustedProxies], header: settings[Keys.proxyHeader])
        let certificate = settings[Keys.tlsCertificate], key = settings[Keys.tlsKey]
        switch (certificate.isEmpty, key.isEmpty) {
        case (true, true): tls = nil
        case (false, false):
            tls = TLSSettings(
                certificatePath: certificate, keyPath: key, minimumVersion: settings[Keys.tlsMinimumVersion])
        default: throw ConfigError(description: "tls.cert and tls.key go together: set both, or neither")
        }
        (sdsSecret, sdsIssuer, sds) = try SDSFeature.configuration(settings)
        lan = try LANFeature.configuration(
            settings, httpPort: httpPort, webSocketPort: webSocketPort, handshakeTimeout: joinTimeout)
        tinyHost = try TinyHostFeature.configuration(settings)
        if conformanceEcho, !isLoopback || (lan.isEnabled && !Self.isLoopback(lan.host)) {
            throw ConfigError(
                description: """
                    conformance.echo=true echoes anything sent to it, so it runs only on this machine: set host \
                    (and lan.host, with lan.enabled) to 127.0.0.1, ::1 or localhost
                    """)
        }

        if authSecret.isEmpty && !isLoopback && !allowInsecure {
            throw ConfigError(
                description: """
                    auth.secret is empty, so tokens would not be checked, and host \(host) is reachable from \
                    other machines. Set auth.secret, listen on 127.0.0.1, or set allow.insecure=true (--insecure).
                    """)
        }
    }
}

/// The `tls.*` settings.
package struct TLSSettings: Sendable, Equatable {
    package var certificatePath: String
    package var keyPath: String
    package var minimumVersion: TLSMinimumVersion
}

/// The oldest TLS version a listener accepts; nothing older than 1.2 is offered.
package enum TLSMinimumVersion: String, CaseIterable, Sendable {
    case v1_2 = "1.2"
    case v1_3 = "1.3"
}
