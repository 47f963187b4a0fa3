import TandemTinyHost
import Testing

@testable import TandemServer

@Suite("TinyHost configuration")
struct TinyHostConfigurationTests {
    func load(_ overrides: [(String, String)] = []) throws(ConfigError) -> TinyHostSettings {
        var loader = ConfigLoader()
        for (key, value) in overrides { try loader.applyOverride(key, value) }
        return try loader.configuration().tinyHost
    }

    @Test("defaults: on, any namespace, one-year sessions, interactive Argon2id, 8-character passwords")
    func defaults() throws {
        let settings = try load()
        #expect(settings.isEnabled)
        #expect(settings.namespaces.allowList.isEmpty)
        #expect(settings.sessionLifetimeMillis == 365 * 86_400_000)
        #expect(settings.password.minLength == 8)
        #expect(settings.password.maxBytes == 1024)
        #expect(settings.password.strength == .interactive)
        #expect(settings.password.parallelHashes == 2)
        #expect(settings.rateLimits == TinyHostRateLimits())
        #expect(settings.maxSessionsPerUser == 100 && settings.maxRequestBytes == 65536)
    }

    @Test("every key is read; session days may be fractional")
    func values() throws {
        let settings = try load([
            ("tinyhost.enabled", "false"), ("tinyhost.namespaces", "notes, todo"), ("tinyhost.session.days", "0.5"),
            ("tinyhost.password.min.length", "12"), ("tinyhost.password.max.bytes", "256"),
            ("tinyhost.password.ops", "3"), ("tinyhost.password.memory.kib", "1024"),
            ("tinyhost.password.parallel", "4"), ("tinyhost.rate.window.seconds", "60"),
            ("tinyhost.rate.signin.per.address", "7"), ("tinyhost.rate.signin.per.email", "5"),
            ("tinyhost.rate.signup.per.address", "3"), ("tinyhost.session.max.per.user", "5"),
            ("tinyhost.accounts.max.body.bytes", "4096"),
        ])
        #expect(settings.maxSessionsPerUser == 5 && settings.maxRequestBytes == 4096)
        #expect(!settings.isEnabled)
        #expect(settings.namespaces.allowList == ["notes", "todo"])
        #expect(settings.sessionLifetimeMillis == 43_200_000)
        #expect(settings.password.minLength == 12 && settings.password.maxBytes == 256)
        #expect(settings.password.strength == PasswordStrength(operations: 3, memoryKiB: 1024))
        #expect(settings.password.parallelHashes == 4)
        #expect(settings.rateLimits.windowSeconds == 60 && settings.rateLimits.signInsPerAddress == 7)
        #expect(settings.rateLimits.signInsPerEmail == 5 && settings.rateLimits.signUpsPerAddress == 3)
    }

    @Test("a reserved or malformed namespace, or a minimum above the maximum, stops start-up")
    func refusals() {
        #expect(throws: ConfigError.self) { try load([("tinyhost.namespaces", "notes,api")]) }
        #expect(throws: ConfigError.self) { try load([("tinyhost.namespaces", "no spaces")]) }
        #expect(throws: ConfigError.self) { try load([("tinyhost.password.memory.kib", "4")]) }
        #expect(throws: ConfigError.self) {
            try load([("tinyhost.password.min.length", "100"), ("tinyhost.password.max.bytes", "64")])
        }
    }
}
