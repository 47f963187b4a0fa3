import Foundation
import TandemAuth
import Testing

@Suite("Hone relay: limits and tokens", .timeLimit(.minutes(1)))
struct LimitsAndAuthTests {
    @Test("a client over the rate is slowed, not refused: every message arrives, in order, at the rate")
    func rateLimitPaces() async throws {
        let server = try await TestServer.start(["rate.messages.per.second": "20", "rate.burst": "5"])
        let (a, _) = try await join(server.webSocketURL, room: "r", device: "A")
        let (b, _) = try await join(server.webSocketURL, room: "r", device: "B")
        _ = try await a.next()
        let started = ContinuousClock.now
        for index in 1...25 { a.send(json: message("A", to: "broadcast", room: "r", payload: index)) }
        var delivered: [Int] = []
        for _ in 0..<25 { delivered.append(try await b.next()["payload"] as? Int ?? -1) }
        #expect(delivered == Array(1...25))
        // 5 at once, then 20 at 20 per second: never faster than the rate allows.
        #expect(ContinuousClock.now - started >= .milliseconds(900))
        #expect(try await a.expectSilence() == nil, "no error frames, no close")
        a.send(json: message("A", to: "broadcast", room: "r", payload: 26))
        #expect(try await b.next()["payload"] as? Int == 26)
        await b.close()
        try await server.stop()
    }

    @Test("an oversize message gets an error naming the limit; a far larger frame closes with 1009")
    func oversizeFrames() async throws {
        let server = try await TestServer.start(["max.message.bytes": "1024"])
        let (a, _) = try await join(server.webSocketURL, room: "r", device: "A")
        let (b, _) = try await join(server.webSocketURL, room: "r", device: "B")
        _ = try await a.next()
        a.send(json: message("A", to: "broadcast", room: "r", payload: String(repeating: "x", count: 1500)))
        let reply = try await a.next()
        #expect(reply["code"] as? String == "message_too_large")
        #expect(reply["limit"] as? Int == 1024)
        #expect(try await b.expectSilence() == nil)
        a.send(json: message("A", to: "broadcast", room: "r", payload: "small"))
        #expect(try await b.next()["payload"] as? String == "small")
        a.send(String(repeating: "y", count: 4096))
        #expect(try await a.closed().code == 1009)
        await b.close()
        try await server.stop()
    }

    @Test("with a secret, joins need a valid token for the joining device")
    func tokens() async throws {
        let secret = "a-long-shared-secret-for-tests-0123456789"
        let server = try await TestServer.start(["auth.secret": secret])
        let signer = DeviceTokenSigner(secret: secret)
        let token = signer.sign(DeviceToken(userID: 42, deviceID: "dev-abc", issuedAt: 1_700_000_000_000))

        let cases: [(String?, String, String, Int)] = [
            (nil, "dev-abc", "Authentication required", 4401),
            ("", "dev-abc", "Authentication required", 4401),
            ("garbage", "dev-abc", "Invalid token", 4401),
            (token + "0", "dev-abc", "Invalid token", 4401),
            (
                DeviceTokenSigner(secret: "another-secret-entirely-0123456789").sign(
                    DeviceToken(userID: 42, deviceID: "dev-abc", issuedAt: 1)), "dev-abc", "Invalid token", 4401
            ),
            ("42:dev-abc:1700000000000.1996133235", "dev-abc", "Invalid token", 4401),
            (token, "dev-other", "Token belongs to another device", 4403),
        ]
        for (presented, device, text, code) in cases {
            let (socket, reply) = try await join(server.webSocketURL, room: "r", device: device, token: presented)
            #expect(reply["error"] as? String == text, "token \(presented ?? "nil")")
            #expect(try await socket.closed().code == code)
        }
        let (ok, joined) = try await join(server.webSocketURL, room: "r", device: "dev-abc", token: token)
        #expect(joined["type"] as? String == "joined")
        await ok.close()
        try await server.stop()
    }

    @Test("legacy Hone tokens verify only when auth.legacy.tokens is on")
    func legacyTokens() async throws {
        let server = try await TestServer.start(["auth.secret": "test-secret", "auth.legacy.tokens": "true"])
        let (socket, joined) = try await join(
            server.webSocketURL, room: "r", device: "dev-abc", token: "42:dev-abc:1700000000000.1996133235")
        #expect(joined["type"] as? String == "joined")
        await socket.close()
        try await server.stop()
    }

    @Test("development mode (no secret) accepts any token or none")
    func developmentMode() async throws {
        let server = try await TestServer.start()
        #expect(server.server.configuration.isDevelopmentMode)
        let (a, joinedA) = try await join(server.webSocketURL, room: "r", device: "A")
        let (b, joinedB) = try await join(server.webSocketURL, room: "r", device: "B", token: "anything")
        #expect(joinedA["type"] as? String == "joined")
        #expect(joinedB["type"] as? String == "joined")
        await a.close()
        await b.close()
        try await server.stop()
    }
}
