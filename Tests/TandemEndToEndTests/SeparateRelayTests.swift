import Foundation
import Logging
import Testing

@testable import TandemServer

@Suite("Accounts alone, with a separate relay", .timeLimit(.minutes(1)))
struct SeparateRelayTests {
    @Test("tokens from `tandem auth` work on a relay that shares only the secret; the relay checks the signature only")
    func sharedSecretOnly() async throws {
        let secret = "separate-relay-secret-0123456789abcdef"
        var loader = ConfigLoader()
        try loader.applyOverride("auth.secret", secret)
        try loader.applyOverride("sqlite.path", TestServer.temporaryDatabasePath())
        var accountsLoader = ConfigLoader.forAccounts()
        try accountsLoader.applyOverride("port", "0")
        try accountsLoader.applyOverride("quick.setup", "true")
        let accountsConfiguration = try accountsLoader.accountsConfiguration(relay: try loader.configuration())
        var logger = Logger(label: "tandem-auth-test")
        logger.logLevel = .warning
        let accounts = try AccountsServer(configuration: accountsConfiguration, logger: logger)
        let ready = Mailbox<Int>()
        let group = accounts.makeServiceGroup(gracefulShutdownSignals: []) { port in ready.put(port) }
        let task = Task { try await group.run() }
        let port = try #require(try await ready.next())

        let relay = try await TestServer.start(["auth.secret": secret])
        let issued = try await http("GET", "http://127.0.0.1:\(port)/auth/quick-setup?deviceName=ide&platform=linux")
        let token = try #require(issued["deviceToken"] as? String)
        let deviceId = try #require(issued["deviceId"] as? String)
        let (socket, joined) = try await join(relay.webSocketURL, room: "any-room", device: deviceId, token: token)
        #expect(joined["type"] as? String == "joined")
        await socket.close()

        await group.triggerGracefulShutdown()
        try await task.value
        try await relay.stop()
    }
}
