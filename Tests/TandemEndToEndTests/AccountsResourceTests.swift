import Foundation
import Testing

@Suite(
    "Accounts: projects, tiers, devices, pairing codes",
    .timeLimit(.minutes(1)),
    .enabled(if: SMTPSink.isAvailable, "python3 with aiosmtpd is not installed (pip install aiosmtpd)"))
struct AccountsResourceTests {
    @Test("registering a project is idempotent by projectKey and tiers limit how many a user may sync")
    func tiersAndIdempotentProjects() async throws {
        let fixture = try await AccountsFixture.start(["tier.default": "free"])
        let (token, userId, _) = try await fixture.signIn("tiers@example.test")
        let subscription = try await http("GET", "\(fixture.url)/auth/subscription", bearer: token)
        #expect(subscription["tier"] as? String == "free")
        #expect(subscription["projectLimit"] as? Int == 0)

        let refused = try await fixture.register("a", token: token)
        #expect(refused.status == 403)
        #expect(refused["error"] as? String == "tier_limit")
        #expect(refused["tier"] as? String == "free")
        #expect(refused["limit"] as? Int == 0)

        let accounts = try #require(fixture.server.server.accounts)
        try await accounts.setSubscription(of: userId, to: .init(tier: .personal, expiresAt: nil))
        let first = try await fixture.register("a", token: token)
        #expect(first.status == 201)
        let again = try await fixture.register("a", token: token)
        #expect(again.status == 200)
        #expect(again["created"] as? Bool == false)
        #expect(again["id"] as? Int == first["id"] as? Int)
        #expect(again["roomId"] as? String == first["roomId"] as? String)
        let second = try await fixture.register("b", token: token)
        #expect(second.status == 403)
        #expect(second["tier"] as? String == "personal")
        #expect(second["limit"] as? Int == 1)

        // An expired subscription counts as free.
        try await accounts.setSubscription(of: userId, to: .init(tier: .pro, expiresAt: 1_000))
        let expired = try await http("GET", "\(fixture.url)/auth/subscription", bearer: token)
        #expect(expired["tier"] as? String == "pro")
        #expect(expired["effectiveTier"] as? String == "free")
        #expect(expired["expired"] as? Bool == true)
        #expect(try await fixture.register("c", token: token).status == 403)

        try await accounts.setSubscription(of: userId, to: .init(tier: .team, expiresAt: nil))
        for key in ["c", "d", "e"] { #expect(try await fixture.register(key, token: token).status == 201) }
        let list = try await http("GET", "\(fixture.url)/auth/projects", bearer: token)
        #expect((list["projects"] as? [[String: Any]])?.count == 4)
        try await fixture.stop()
    }

    @Test("deleting a device revokes its token at once and closes its live socket with 4401")
    func deviceDeletionRevokesSocket() async throws {
        let fixture = try await AccountsFixture.start()
        let laptop = try await fixture.signIn("revoke@example.test", device: "laptop")
        let phone = try await fixture.signIn("revoke@example.test", device: "phone")
        #expect(laptop.userId == phone.userId)
        let room = try #require(try await fixture.register("p", token: laptop.token)["roomId"] as? String)

        let (socket, joined) = try await join(
            fixture.server.webSocketURL, room: room, device: phone.deviceId, token: phone.token)
        #expect(joined["type"] as? String == "joined")
        let devices = try await http("GET", "\(fixture.url)/auth/devices", bearer: laptop.token)
        #expect((devices["devices"] as? [[String: Any]])?.count == 2)

        let deleted = try await http("DELETE", "\(fixture.url)/auth/device/\(phone.deviceId)", bearer: laptop.token)
        #expect(deleted.status == 200)
        let closed = try await socket.closed()
        #expect(closed.code == 4401)
        #expect(closed.reason?.contains("token_revoked") == true)

        #expect(try await http("GET", "\(fixture.url)/auth/device", bearer: phone.token).status == 401)
        let (again, refused) = try await join(
            fixture.server.webSocketURL, room: room, device: phone.deviceId, token: phone.token)
        #expect(refused["code"] as? String == "invalid_token")
        #expect(try await again.closed().code == 4401)
        try await fixture.stop()
    }

    @Test("a pairing code adds a device to the same account once; reuse and unknown codes are refused")
    func pairingCodes() async throws {
        let fixture = try await AccountsFixture.start()
        let owner = try await fixture.signIn("pair@example.test")
        let created = try await http("POST", "\(fixture.url)/auth/pairing-code", bearer: owner.token)
        #expect(created.status == 200)
        let code = try #require(created["code"] as? String)
        #expect(code.count == 9 && code.contains("-"))

        let typed = code.lowercased().replacingOccurrences(of: "-", with: " ")
        let redeemed = try await http(
            "POST", "\(fixture.url)/auth/pairing-code/redeem",
            json: ["code": typed, "deviceName": "Tablet", "platform": "android"])
        #expect(redeemed.status == 200)
        #expect(redeemed["userId"] as? Int == owner.userId)
        let tabletToken = try #require(redeemed["deviceToken"] as? String)
        let tablet = try await http("GET", "\(fixture.url)/auth/device", bearer: tabletToken)
        #expect(tablet["deviceName"] as? String == "Tablet")
        #expect(tablet["userId"] as? Int == owner.userId)

        let reused = try await http(
            "POST", "\(fixture.url)/auth/pairing-code/redeem", json: ["code": code, "deviceName": "Other"])
        #expect(reused.status == 410)
        #expect(reused["error"] as? String == "pairing_code_used")

        let unknown = try await http("POST", "\(fixture.url)/auth/pairing-code/redeem", json: ["code": "0000-0000"])
        #expect(unknown.status == 404)
        try await fixture.stop()
    }

    @Test("an expired pairing code is refused as expired")
    func pairingCodeExpiry() async throws {
        let fixture = try await AccountsFixture.start(["pairing.code.seconds": "1"])
        let owner = try await fixture.signIn("late-pair@example.test")
        let late = try #require(
            try await http("POST", "\(fixture.url)/auth/pairing-code", bearer: owner.token)["code"] as? String)
        try await Task.sleep(for: .milliseconds(1100))
        let expired = try await http("POST", "\(fixture.url)/auth/pairing-code/redeem", json: ["code": late])
        #expect(expired.status == 410)
        #expect(expired["error"] as? String == "pairing_code_expired")
        try await fixture.stop()
    }

    @Test("a user never sees or touches another user's devices, projects or rooms")
    func isolation() async throws {
        let fixture = try await AccountsFixture.start()
        let alice = try await fixture.signIn("alice@example.test")
        let bob = try await fixture.signIn("bob@example.test")
        let project = try await fixture.register("shared-key", token: alice.token)
        let projectId = try #require(project["id"] as? Int)
        let room = try #require(project["roomId"] as? String)

        #expect(
            try await http("DELETE", "\(fixture.url)/auth/device/\(alice.deviceId)", bearer: bob.token).status == 404)
        #expect(try await http("DELETE", "\(fixture.url)/auth/project/\(projectId)", bearer: bob.token).status == 404)
        let bobsDevices = try await http("GET", "\(fixture.url)/auth/devices", bearer: bob.token)
        #expect((bobsDevices["devices"] as? [[String: Any]])?.map { $0["deviceId"] as? String } == [bob.deviceId])
        let bobsProjects = try await http("GET", "\(fixture.url)/auth/projects", bearer: bob.token)
        #expect((bobsProjects["projects"] as? [[String: Any]])?.isEmpty == true)
        // The same key gives Bob his own project and room.
        let bobsProject = try await fixture.register("shared-key", token: bob.token)
        #expect(bobsProject.status == 201)
        #expect(bobsProject["roomId"] as? String != room)

        let (socket, refused) = try await join(
            fixture.server.webSocketURL, room: room, device: bob.deviceId, token: bob.token)
        #expect(refused["code"] as? String == "room_forbidden")
        #expect(try await socket.closed().code == 4403)
        // Alice's device is still there.
        #expect(try await http("GET", "\(fixture.url)/auth/device", bearer: alice.token).status == 200)
        #expect(try await http("DELETE", "\(fixture.url)/auth/project/\(projectId)", bearer: alice.token).status == 200)
        try await fixture.stop()
    }
}
