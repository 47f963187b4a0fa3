import Testing

@testable import TandemServer

@Suite("Configuration")
struct ConfigLoaderTests {
    func load(file: String? = nil, environment: [String: String] = [:], overrides: [(String, String)] = [])
        throws(ConfigError) -> ServerConfiguration
    {
        var loader = ConfigLoader()
        if let file { try loader.applyFile(file, path: "relay.conf") }
        try loader.applyEnvironment(environment)
        for (key, value) in overrides { try loader.applyOverride(key, value) }
        return try loader.configuration()
    }

    @Test("defaults: loopback, 8443/8444, ./relay.db, development mode")
    func defaults() throws {
        let configuration = try load()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.httpPort == 8443)
        #expect(configuration.webSocketPort == 8444)
        #expect(configuration.sqlitePath == "./relay.db")
        #expect(configuration.isDevelopmentMode)
        #expect(configuration.limits.maxMembersPerRoom == 10)
        #expect(configuration.limits.bufferTTLMillis == 60_000)
        #expect(configuration.limits.maxMessageBytes == 1 << 20)
        #expect(configuration.limits.rate.messagesPerSecond == 100)
        #expect(configuration.retentionDays == 30)
    }

    @Test("file values: comments, blank lines, spaces around '=', split on the first '='")
    func fileFormat() throws {
        let configuration = try load(
            file: """
                # a comment
                host = 127.0.0.2

                  port=9000
                auth.secret = abc=def==
                sqlite.path=/tmp/x.db
                max.clients.per.room = 3
                buffer.ttl.seconds=5
                """)
        #expect(configuration.host == "127.0.0.2")
        #expect(configuration.httpPort == 9000)
        #expect(configuration.webSocketPort == 9001)
        #expect(configuration.authSecret == "abc=def==")
        #expect(configuration.sqlitePath == "/tmp/x.db")
        #expect(configuration.limits.maxMembersPerRoom == 3)
        #expect(configuration.limits.bufferTTLMillis == 5000)
    }

    @Test("environment overrides the file, flags override the environment; Hone names work")
    func precedence() throws {
        let file = "port=9000\nmax.rooms=5\n"
        let fromEnvironment = try load(
            file: file, environment: ["HONE_RELAY_PORT": "9100", "TANDEM_MAX_ROOMS": "7", "HONE_AUTH_SECRET": "s"])
        #expect(fromEnvironment.httpPort == 9100)
        #expect(fromEnvironment.limits.maxRooms == 7)
        #expect(fromEnvironment.authSecret == "s")
        let tandemBeatsHone = try load(environment: ["HONE_RELAY_PORT": "9100", "TANDEM_PORT": "9200"])
        #expect(tandemBeatsHone.httpPort == 9200)
        let fromFlag = try load(file: file, environment: ["TANDEM_PORT": "9200"], overrides: [("port", "9300")])
        #expect(fromFlag.httpPort == 9300)
        let sqlite = try load(environment: ["HONE_RELAY_SQLITE_PATH": "/tmp/hone.db", "HONE_RELAY_BUFFER_TTL": "9"])
        #expect(sqlite.sqlitePath == "/tmp/hone.db")
        #expect(sqlite.limits.bufferTTLMillis == 9000)
    }

    @Test("an unknown key stops start-up with the key, line number and allowed keys")
    func unknownKey() {
        #expect {
            try load(file: "port=1\n\nmax.room=5\n")
        } throws: { error in
            let text = "\(error)"
            return text.contains("relay.conf:3") && text.contains("max.room") && text.contains("max.rooms")
        }
        #expect(throws: ConfigError.self) { try load(overrides: [("nope", "1")]) }
    }

    @Test("a TANDEM_ variable that is no setting is ignored with a warning naming it")
    func unknownEnvironmentVariable() throws {
        let configuration = try load(environment: ["TANDEM_CMD": "./run", "TANDEM_MAX_ROOMS": "7"])
        #expect(configuration.limits.maxRooms == 7)
        #expect(configuration.warnings.count == 1)
        #expect(configuration.warnings.first?.contains("TANDEM_CMD") == true)
        #expect(try load(environment: ["TANDEM_MAX_ROOMS": "7"]).warnings.isEmpty)
    }

    @Test(
        "Kubernetes service links for a Service named tandem are ignored with one warning; a plain TANDEM_PORT is the port"
    )
    func kubernetesServiceLinks() throws {
        let links = [
            "TANDEM_PORT": "tcp://10.96.0.12:8443", "TANDEM_SERVICE_HOST": "10.96.0.12", "TANDEM_SERVICE_PORT": "8443",
            "TANDEM_SERVICE_PORT_HTTP": "8443", "TANDEM_PORT_8443_TCP": "tcp://10.96.0.12:8443",
            "TANDEM_PORT_8443_TCP_PROTO": "tcp", "TANDEM_PORT_8443_TCP_PORT": "8443",
            "TANDEM_PORT_8443_TCP_ADDR": "10.96.0.12",
        ]
        let configuration = try load(environment: links)
        #expect(configuration.httpPort == 8443)
        #expect(configuration.warnings.count == 1)
        #expect(configuration.warnings.first?.contains("enableServiceLinks") == true)
        #expect(try load(environment: links.merging(["TANDEM_PORT": "9000"]) { $1 }).httpPort == 9000)
    }

    @Test("listeners without a port of their own follow port: ws + 1, accounts + 2, LAN + 3; 0 stays 0")
    func derivedPorts() throws {
        let moved = try load(overrides: [("port", "9000")])
        #expect(moved.webSocketPort == 9001 && moved.lan.port == 9003)
        let free = try load(overrides: [("port", "0"), ("lan.enabled", "true")])
        #expect(free.webSocketPort == 0 && free.lan.port == 0)
        let explicit = try load(overrides: [("port", "9000"), ("lan.port", "8080"), ("ws.port", "7000")])
        #expect(explicit.webSocketPort == 7000 && explicit.lan.port == 8080)
        #expect(throws: ConfigError.self) { try load(overrides: [("port", "65534"), ("lan.enabled", "true")]) }
        #expect(try load(overrides: [("port", "65534")]).webSocketPort == 65535)
    }

    @Test("a bad value names the key, the line and the rule")
    func badValue() {
        #expect {
            try load(file: "port=eighty\n")
        } throws: { error in
            "\(error)".contains("relay.conf:1") && "\(error)".contains("port") && "\(error)".contains("integer")
        }
        #expect(throws: ConfigError.self) { try load(file: "just a line\n") }
        #expect(throws: ConfigError.self) { try load(file: "auth.legacy.tokens=yes\n") }
        #expect(throws: ConfigError.self) { try load(file: "max.clients.per.room=0\n") }
        #expect(throws: ConfigError.self) { try load(file: "port=8443\nws.port=8443\n") }
    }

    @Test("an empty secret on a non-loopback address is refused unless insecure is explicit")
    func insecure() throws {
        #expect(throws: ConfigError.self) { try load(file: "host=0.0.0.0\n") }
        #expect(try load(file: "host=0.0.0.0\nallow.insecure=true\n").isDevelopmentMode)
        #expect(try load(file: "host=0.0.0.0\nauth.secret=long-enough-secret\n").isDevelopmentMode == false)
        #expect(try load(file: "host=localhost\n").isLoopback)
    }

    @Test("port 0 picks free ports for both listeners")
    func ephemeral() throws {
        let configuration = try load(overrides: [("port", "0")])
        #expect(configuration.webSocketPort == 0)
    }

    @Test("the SDS server's variables are honoured; a short SDS secret stops start-up")
    func sdsAliases() throws {
        let secret = String(repeating: "k", count: 32)
        let configuration = try load(environment: [
            "SDS_JWT_SECRET": secret, "SDS_ISSUER": "me", "SDS_PORT": "3000", "SDS_HOST": "127.0.0.3",
            "SDS_PERSIST_DIR": "/var/lib/sds",
        ])
        #expect(configuration.sdsSecret == secret && configuration.sdsIssuer == "me")
        #expect(configuration.httpPort == 3000 && configuration.host == "127.0.0.3")
        #expect(configuration.sqlitePath == "/var/lib/sds/tandem.db" && configuration.sds.persists)
        let explicit = try load(environment: ["SDS_PERSIST_DIR": "/a", "TANDEM_SQLITE_PATH": "/b/x.db"])
        #expect(explicit.sqlitePath == "/b/x.db")
        #expect(try load(overrides: [("sds.persist", "false")]).sds.persists == false)
        #expect(throws: ConfigError.self) { try load(environment: ["SDS_JWT_SECRET": "too-short"]) }
    }

    @Test("lan.*: off by default on 8446 with policy ask and 60 s; the pairing payload's separator is refused")
    func lanSettings() throws {
        let defaults = try load()
        #expect(!defaults.lan.isEnabled)
        #expect(defaults.lan.port == 8446)
        #expect(defaults.lan.settings.policy == .ask)
        #expect(defaults.lan.settings.decisionTimeout == .seconds(60))
        let set = try load(overrides: [
            ("lan.enabled", "true"), ("lan.decision.policy", "desktop-wins"), ("lan.decision.timeout.seconds", "5"),
        ])
        #expect(set.lan.isEnabled)
        #expect(set.lan.settings.policy == .desktopWins)
        #expect(set.lan.settings.decisionTimeout == .seconds(5))
        #expect(throws: ConfigError.self) { try load(overrides: [("lan.secret", "a:b")]) }
        #expect(throws: ConfigError.self) { try load(overrides: [("lan.decision.policy", "coin-flip")]) }
        #expect(throws: ConfigError.self) { try load(overrides: [("lan.enabled", "true"), ("lan.port", "8443")]) }
    }
}

@Suite("Conformance echo setting")
struct ConformanceEchoSettingTests {
    func load(_ overrides: [(String, String)]) throws(ConfigError) -> ServerConfiguration {
        var loader = ConfigLoader()
        for (key, value) in overrides { try loader.applyOverride(key, value) }
        return try loader.configuration()
    }

    @Test("off by default; on only when every listener is on a loopback address")
    func loopbackOnly() throws {
        #expect(try load([]).conformanceEcho == false)
        #expect(try load([("conformance.echo", "true")]).conformanceEcho)
        #expect(try load([("conformance.echo", "true"), ("host", "::1")]).conformanceEcho)
        let refused: [[(String, String)]] = [
            [("conformance.echo", "true"), ("host", "0.0.0.0"), ("auth.secret", "s")],
            [("conformance.echo", "true"), ("lan.enabled", "true")],
        ]
        for overrides in refused {
            #expect {
                try load(overrides)
            } throws: { error in
                (error as? ConfigError)?.description.contains("conformance.echo=true") == true
            }
        }
        // The LAN endpoint on loopback is fine.
        #expect(
            try load([("conformance.echo", "true"), ("lan.enabled", "true"), ("lan.host", "127.0.0.1")]).conformanceEcho
        )
    }
}
