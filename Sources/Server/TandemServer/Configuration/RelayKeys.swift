import Logging
import TandemRelay
import TandemSQLite

/// The relay.conf keys of the server and its relay (each feature owns its own: `SDSFeature.Keys`,
/// `LANFeature.Keys`, `TinyHostFeature.Keys`). Defaults come from the relay's own types.
enum RelayKeys {
    static let host = Setting.text(
        "host", "127.0.0.1", "Address to listen on", legacy: ["HONE_RELAY_HOST", "SDS_HOST"])
    static let port = Setting.integer(
        "port", 0...65535, 8443, "HTTP port (0 picks a free port)", legacy: ["HONE_RELAY_PORT", "SDS_PORT"])
    static let webSocketPort = Setting.integer(
        "ws.port", 0...65535, nil, "WebSocket-only port; default port + 1 (0 when port is 0: a free port)")
    static let authSecret = Setting.text(
        "auth.secret", "", "Shared secret for device tokens; empty = development mode, tokens not checked",
        legacy: ["HONE_AUTH_SECRET"])
    static let legacyTokens = Setting.boolean(
        "auth.legacy.tokens", false, "Also accept Hone's double-djb2 tokens (weak; for migration only)")
    static let allowInsecure = Setting.boolean(
        "allow.insecure", false, "Allow an empty auth.secret on a non-loopback host")
    static let sqlitePath = Setting.text(
        "sqlite.path", "./relay.db", "SQLite database file, created if missing", path: true,
        legacy: ["HONE_RELAY_SQLITE_PATH"])
    static let durability = Setting<Durability>.choice(
        "durability", .commit,
        "When a message is acknowledged: after commit (survives a crash) or after fsync (survives power loss)")
    static let maxRooms = Setting.integer(
        "max.rooms", 1...10_000_000, RelayLimits().maxRooms, "Most rooms held at once",
        legacy: ["HONE_RELAY_MAX_ROOMS"])
    static let maxClientsPerRoom = Setting.integer(
        "max.clients.per.room", 1...100_000, RelayLimits().maxMembersPerRoom, "Most devices connected to one room",
        legacy: ["HONE_RELAY_MAX_CLIENTS_PER_ROOM"])
    static let maxMessageBytes = Setting.integer(
        "max.message.bytes", 64...(64 << 20), RelayLimits().maxMessageBytes, "Largest message a client may send")
    static let bufferTTLSeconds = Setting.integer(
        "buffer.ttl.seconds", 0...86_400, Int(RelayLimits().bufferTTLMillis / 1000),
        "How long messages for a departed device are held in memory", legacy: ["HONE_RELAY_BUFFER_TTL"])
    static let bufferMaxBytes = Setting.integer(
        "buffer.max.bytes", 0...(1 << 30), RelayLimits().maxBufferBytes, "Most bytes held for one departed device")
    static let outboundMaxBytes = Setting.integer(
        "outbound.max.bytes", 1024...(1 << 30), RelayLimits().maxOutboundBytes,
        "Most bytes queued to one connection before it is cut as too slow")
    static let ratePerSecond = Setting.number(
        "rate.messages.per.second", 0.1...1_000_000, RelayLimits().rate.messagesPerSecond,
        "Sustained messages per second per connection")
    static let rateBurst = Setting.integer(
        "rate.burst", 1...1_000_000, Int(RelayLimits().rate.burst),
        "Messages a connection may send at once after a quiet period")
    static let abuseRefusals = Setting.integer(
        "rate.abuse.refusals", 1...1_000_000, 100,
        "No longer used: clients over the rate are slowed, never refused (accepted so older files load)")
    static let joinTimeoutSeconds = Setting.integer(
        "join.timeout.seconds", 1...3600, 10,
        "How long a new connection may take to send its join frame (4400), or a LAN phone its handshake (4008)")
    static let pingIntervalSeconds = Setting.integer(
        "ping.interval.seconds", 0...3600, 30,
        "WebSocket ping period; a peer silent for two periods is dropped (0 = off)")
    static let retentionDays = Setting.integer(
        "retention.days", 0...36_500, 30, "Stored messages older than this are deleted (0 = keep forever)")
    static let connectionsPerAddress = Setting.integer(
        "max.connections.per.address", 0...1_000_000, 1000,
        "Most connections one client address may hold open on the HTTP, WebSocket and LAN ports (0 = no limit)")
    static let connectionRate = Setting.number(
        "rate.connections.per.second", 0...1_000_000, 20,
        "New connections per second one client address may open on the HTTP, WebSocket and LAN ports (0 = no limit)")
    static let connectionBurst = Setting.integer(
        "rate.connections.burst", 1...1_000_000, 100,
        "New connections one address may open at once after a quiet period")
    static let handshakeTimeoutSeconds = Setting.integer(
        "handshake.timeout.seconds", 1...3600, 10,
        "How long a new connection may take (TLS included) to send its first HTTP request head; then it is closed")
    static let tlsCertificate = Setting.text(
        "tls.cert", "",
        "PEM certificate chain: the HTTP and WebSocket ports then speak TLS (https, wss); SIGHUP reloads it")
    static let tlsKey = Setting.text("tls.key", "", "PEM private key of tls.cert")
    static let tlsMinimumVersion = Setting<TLSMinimumVersion>.choice(
        "tls.min.version", .v1_2, "Oldest TLS version accepted: 1.2 or 1.3")
    static let trustedProxies = Setting.text(
        "proxy.trusted", "",
        "Reverse proxies (addresses, CIDRs) whose proxy.header names the client for per-address limits; empty = none")
    static let proxyHeader = Setting<TrustedProxies.Header>.choice(
        "proxy.header", .xForwardedFor, "The header the trusted proxies write: x-forwarded-for or forwarded")
    static let logLevel = Setting<Logger.Level>.choice("log.level", .info, "Log level")
    static let conformanceEcho = Setting.boolean(
        "conformance.echo", false,
        "Echo data messages at /conformance/echo on every WebSocket listener, for the Autobahn suite (loopback only)")

    static let all: [ConfigKey] = [
        host.key, port.key, webSocketPort.key, authSecret.key, legacyTokens.key, allowInsecure.key, sqlitePath.key,
        durability.key, maxRooms.key, maxClientsPerRoom.key, maxMessageBytes.key, bufferTTLSeconds.key,
        bufferMaxBytes.key, outboundMaxBytes.key, ratePerSecond.key, rateBurst.key, abuseRefusals.key,
        joinTimeoutSeconds.key, pingIntervalSeconds.key, retentionDays.key, connectionsPerAddress.key, logLevel.key,
        conformanceEcho.key, handshakeTimeoutSeconds.key, tlsCertificate.key, tlsKey.key, tlsMinimumVersion.key,
        trustedProxies.key, proxyHeader.key, connectionRate.key, connectionBurst.key,
    ]
}
