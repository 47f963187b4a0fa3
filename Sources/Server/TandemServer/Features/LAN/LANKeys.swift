package import TandemLAN

extension LANFeature {
    /// The `lan.*` keys of relay.conf. Defaults come from `LANConfiguration` and `LANSettings`.
    enum Keys {
        private static let defaults = LANConfiguration()

        static let enabled = Setting.boolean(
            "lan.enabled", defaults.isEnabled, "Run the JotBunker LAN endpoint on its own port")
        static let host = Setting.text(
            "lan.host", defaults.host, "Address the LAN endpoint listens on (phones must reach it)")
        static let port = Setting.integer(
            "lan.port", 0...65535, nil, "LAN endpoint port; default port + 3 (0 when port is 0: a free port)")
        static let secret = Setting.text(
            "lan.secret", defaults.secret,
            "Pairing secret phones must present; empty = generated once and kept in the database")
        static let decisionPolicy = Setting<DecisionPolicy>.choice(
            "lan.decision.policy", defaults.settings.policy,
            "Syncs with conflicts or a large change: ask (pending decision), desktop-wins or phone-wins")
        static let decisionTimeoutSeconds = Setting.integer(
            "lan.decision.timeout.seconds", 1...86_400, Int(defaults.settings.decisionTimeout.components.seconds),
            "How long a pending sync waits for a decision before it is cancelled")
        static let filesPath = Setting.text(
            "lan.files.path", defaults.filesPath, "Directory for jot files received from phones", path: true)
        static let maxFileBytes = Setting.integer(
            "lan.max.file.bytes", 1...(1 << 30), defaults.settings.maxFileBytes, "Largest jot file accepted")

        static let all = [
            enabled.key, host.key, port.key, secret.key, decisionPolicy.key, decisionTimeoutSeconds.key,
            filesPath.key, maxFileBytes.key,
        ]
    }

    /// The LAN part of the configuration; `ports` are the HTTP and WebSocket ports it must differ from.
    static func configuration(
        _ settings: ConfigLoader, httpPort: Int, webSocketPort: Int, handshakeTimeout: Duration
    ) throws(ConfigError) -> LANConfiguration {
        var lan = LANConfiguration()
        lan.isEnabled = settings[Keys.enabled]
        lan.host = settings[Keys.host]
        // A port past 65535 matters only when the endpoint runs.
        let port = { () throws(ConfigError) -> Int in
            try ServerConfiguration.port(
                settings.given(Keys.port), Keys.port.name, following: httpPort,
                offset: ServerConfiguration.lanPortOffset)
        }
        lan.port = lan.isEnabled ? try port() : (try? port()) ?? 0
        lan.secret = settings[Keys.secret]
        if lan.secret.contains(":") {
            throw ConfigError(description: "lan.secret must not contain ':' (the pairing payload is ip:port:secret)")
        }
        lan.settings.policy = settings[Keys.decisionPolicy]
        lan.settings.decisionTimeout = .seconds(settings[Keys.decisionTimeoutSeconds])
        lan.settings.maxFileBytes = settings[Keys.maxFileBytes]
        lan.filesPath = settings[Keys.filesPath]
        lan.settings.handshakeTimeout = handshakeTimeout
        if lan.isEnabled && lan.port != 0 && (lan.port == httpPort || lan.port == webSocketPort) {
            throw ConfigError(description: "lan.port: must differ from port and ws.port (\(lan.port))")
        }
        return lan
    }
}

/// The LAN endpoint's part of the configuration (`lan.*` keys).
package struct LANConfiguration: Sendable {
    package var isEnabled = false
    package var host = "0.0.0.0"
    package var port = 8446
    /// Empty: use the secret kept in the database, generating it on first start.
    package var secret = ""
    package var filesPath = "./lan-files"
    package var settings = LANSettings()
}
