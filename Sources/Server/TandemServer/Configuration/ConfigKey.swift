import Foundation
import TandemLAN

/// One configuration key: its name in relay.conf, its environment variables, default and rule.
struct ConfigKey: Sendable {
    enum Kind: Sendable {
        case string
        case path
        case integer(ClosedRange<Int>)
        case number(ClosedRange<Double>)
        case boolean
        case choice([String])

        var rule: String {
            switch self {
            case .string: "any text"
            case .path: "a non-empty file path"
            case .integer(let range): "an integer in \(range.lowerBound)...\(range.upperBound)"
            case .number(let range): "a number in \(range.lowerBound)...\(range.upperBound)"
            case .boolean: "true or false"
            case .choice(let choices): "one of \(choices.joined(separator: ", "))"
            }
        }

        func accepts(_ value: String) -> Bool {
            switch self {
            case .string: true
            case .path: !value.isEmpty
            case .integer(let range): Int(value).map(range.contains) ?? false
            case .number(let range): Double(value).map(range.contains) ?? false
            case .boolean: ["true", "false"].contains(value.lowercased())
            case .choice(let choices): choices.contains(value)
            }
        }
    }

    let name: String
    let kind: Kind
    /// nil when the default is derived from other keys (documented in `help`).
    let defaultValue: String?
    let help: String
    /// Extra environment variables accepted for compatibility (Hone's), besides `TANDEM_*`.
    let legacyEnvironment: [String]
    /// `TANDEM_` for relay.conf keys, `TANDEM_ACCOUNTS_` for auth.conf keys.
    let environmentPrefix: String

    init(
        _ name: String, _ kind: Kind, _ defaultValue: String?, _ help: String, legacy: [String] = [],
        environmentPrefix: String = "TANDEM_"
    ) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
        self.legacyEnvironment = legacy
        self.environmentPrefix = environmentPrefix
    }

    /// The prefix and the key in capitals with dots as underscores: `max.rooms` -> `TANDEM_MAX_ROOMS`.
    var environmentName: String {
        environmentPrefix + name.uppercased().replacingOccurrences(of: ".", with: "_")
    }
}

extension ConfigKey {
    /// Every key the relay accepts. README's configuration table lists the same.
    static let all: [ConfigKey] =
        [
            ConfigKey("host", .string, "127.0.0.1", "Address to listen on", legacy: ["HONE_RELAY_HOST", "SDS_HOST"]),
            ConfigKey(
                "port", .integer(0...65535), "8443", "HTTP port (0 picks a free port)",
                legacy: ["HONE_RELAY_PORT", "SDS_PORT"]),
            ConfigKey(
                "ws.port", .integer(0...65535), nil,
                "WebSocket-only port; default port + 1 (0 when port is 0: a free port)"),
            ConfigKey(
                "auth.secret", .string, "",
                "Shared secret for device tokens; empty = development mode, tokens not checked",
                legacy: ["HONE_AUTH_SECRET"]),
            ConfigKey(
                "auth.legacy.tokens", .boolean, "false",
                "Also accept Hone's double-djb2 tokens (weak; for migration only)"),
            ConfigKey("allow.insecure", .boolean, "false", "Allow an empty auth.secret on a non-loopback host"),
            ConfigKey(
                "sqlite.path", .path, "./relay.db", "SQLite database file, created if missing",
                legacy: ["HONE_RELAY_SQLITE_PATH"]),
            ConfigKey(
                "durability", .choice(["commit", "fsync"]), "commit",
                "When a message is acknowledged: after commit (survives a crash) or after fsync (survives power loss)"),
            ConfigKey(
                "max.rooms", .integer(1...10_000_000), "10000", "Most rooms held at once",
                legacy: ["HONE_RELAY_MAX_ROOMS"]),
            ConfigKey(
                "max.clients.per.room", .integer(1...100_000), "10", "Most devices connected to one room",
                legacy: ["HONE_RELAY_MAX_CLIENTS_PER_ROOM"]),
            ConfigKey("max.message.bytes", .integer(64...(64 << 20)), "1048576", "Largest message a client may send"),
            ConfigKey(
                "buffer.ttl.seconds", .integer(0...86_400), "60",
                "How long messages for a departed device are held in memory", legacy: ["HONE_RELAY_BUFFER_TTL"]),
            ConfigKey(
                "buffer.max.bytes", .integer(0...(1 << 30)), "4194304", "Most bytes held for one departed device"),
            ConfigKey(
                "outbound.max.bytes", .integer(1024...(1 << 30)), "16777216",
                "Most bytes queued to one connection before it is cut as too slow"),
            ConfigKey(
                "rate.messages.per.second", .number(0.1...1_000_000), "100",
                "Sustained messages per second per connection"),
            ConfigKey(
                "rate.burst", .integer(1...1_000_000), "200",
                "Messages a connection may send at once after a quiet period"),
            ConfigKey(
                "rate.abuse.refusals", .integer(1...1_000_000), "100",
                "No longer used: clients over the rate are slowed, never refused (accepted so older files load)"),
            ConfigKey(
                "join.timeout.seconds", .integer(1...3600), "10",
                "How long a new connection may take to send its join frame (4400), or a LAN phone its handshake (4008)"),
            ConfigKey(
                "ping.interval.seconds", .integer(0...3600), "30",
                "WebSocket ping period; a peer silent for two periods is dropped (0 = off)"),
            ConfigKey(
                "retention.days", .integer(0...36_500), "30",
                "Stored messages older than this are deleted (0 = keep forever)"),
            ConfigKey(
                "sds.jwt.secret", .string, "",
                "HS256 secret of the SDS endpoints (/ws/:storeId, /signal/:storeId, /api/token), at least 32 characters; empty turns them off",
                legacy: ["SDS_JWT_SECRET"]),
            ConfigKey(
                "sds.issuer", .string, "", "Required iss claim of SDS tokens; empty = not checked",
                legacy: ["SDS_ISSUER"]),
            ConfigKey(
                "sds.persist", .boolean, "true",
                "Store SDS patches (replayed on join) and value blobs (served on REQ_VALUE); false = relay only"),
            ConfigKey(
                "sds.max.frame.bytes", .integer(64...(64 << 20)), "1048640",
                "Largest SDS frame; larger ones close the socket with 1009"),
            ConfigKey(
                "sds.max.value.bytes", .integer(0...(1 << 30)), "16777216",
                "Largest SDS value blob stored; a larger one is relayed, not stored, with a warning"),
            ConfigKey(
                "sds.max.store.bytes", .integer(0...(1 << 40)), "1073741824",
                "Most bytes of value blobs one SDS store keeps; past it blobs are relayed, not stored"),
            ConfigKey("lan.enabled", .boolean, "false", "Run the JotBunker LAN endpoint on its own port"),
            ConfigKey("lan.host", .string, "0.0.0.0", "Address the LAN endpoint listens on (phones must reach it)"),
            ConfigKey(
                "lan.port", .integer(0...65535), nil,
                "LAN endpoint port; default port + 3 (0 when port is 0: a free port)"),
            ConfigKey(
                "lan.secret", .string, "",
                "Pairing secret phones must present; empty = generated once and kept in the database"),
            ConfigKey(
                "lan.decision.policy", .choice(DecisionPolicy.allCases.map(\.rawValue)), "ask",
                "Syncs with conflicts or a large change: ask (pending decision), desktop-wins or phone-wins"),
            ConfigKey(
                "lan.decision.timeout.seconds", .integer(1...86_400), "60",
                "How long a pending sync waits for a decision before it is cancelled"),
            ConfigKey("lan.files.path", .path, "./lan-files", "Directory for jot files received from phones"),
            ConfigKey("lan.max.file.bytes", .integer(1...(1 << 30)), "52428800", "Largest jot file accepted"),
            ConfigKey(
                "log.level", .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]), "info",
                "Log level"),
        ] + tinyHost

    static func named(_ name: String) -> ConfigKey? { all.first { $0.name == name } }
}
