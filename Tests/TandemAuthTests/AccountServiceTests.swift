import Foundation
import TandemAuth
import TandemConnection
import TandemRelay
import Testing

@Suite("Accounts: login, devices, projects, tiers, pairing")
struct AccountServiceTests {
    @Test("the first login creates the user; later logins of the same address add devices to it")
    func loginCreatesUserOnce() async throws {
        let fixture = try AccountFixture()
        let first = try await fixture.signIn("Ada@Example.test", device: "laptop")
        let second = try await fixture.signIn("ada@example.test", device: "phone")
        #expect(first.userID == second.userID)
        #expect(first.deviceID != second.deviceID)
        #expect(try await fixture.service.authenticate(bearer: first.deviceToken).name == "laptop")
        #expect(try await fixture.service.devices(of: first.userID).map(\.name) == ["laptop", "phone"])
        let summary = try #require(try await fixture.service.users().first)
        #expect(summary.user.email == "ada@example.test")
        #expect(summary.subscription.tier == .pro)
    }

    @Test("a link works once, until it expires; unknown and malformed links are refused")
    func linkRules() async throws {
        let fixture = try AccountFixture()
        _ = try await fixture.service.startLogin(email: "a@b.test", device: nil, client: "1")
        let token = try #require(fixture.outbox.lastToken(for: "a@b.test"))
        #expect(token.count == 64)
        _ = try await fixture.service.verify(token: token, deviceName: nil, platform: nil, approveOnly: false)
        await #expect(throws: AccountError.linkUsed) {
            try await fixture.service.verify(token: token, deviceName: nil, platform: nil, approveOnly: false)
        }
        _ = try await fixture.service.startLogin(email: "a@b.test", device: nil, client: "1")
        let late = try #require(fixture.outbox.lastToken(for: "a@b.test"))
        fixture.clock.advance(seconds: 15 * 60)
        await #expect(throws: AccountError.linkExpired) {
            try await fixture.service.verify(token: late, deviceName: nil, platform: nil, approveOnly: false)
        }
        for bad in [String(repeating: "0", count: 64), "xyz", String(repeating: "G", count: 64)] {
            await #expect(throws: AccountError.linkUnknown) {
                try await fixture.service.verify(token: bad, deviceName: nil, platform: nil, approveOnly: false)
            }
        }
        await #expect(throws: AccountError.missingParameter("token")) {
            try await fixture.service.verify(token: nil, deviceName: nil, platform: nil, approveOnly: false)
        }
    }

    @Test("email addresses are checked before anything is stored or sent")
    func emailValidation() async throws {
        let fixture = try AccountFixture()
        for bad in ["plain", "a@b", "a@.b", "a b@c.d", "a@b.c\r\nBcc: x@y.z", "<a@b.c>", "a@b..c", "@b.c"] {
            await #expect(throws: AccountError.invalidEmail, "\(bad)") {
                try await fixture.service.startLogin(email: bad, device: nil, client: "1")
            }
        }
        await #expect(throws: AccountError.missingParameter("email")) {
            try await fixture.service.startLogin(email: nil, device: nil, client: "1")
        }
        #expect(fixture.outbox.count == 0)
    }

    @Test("rate limits per email and per address name the limit and free up as the window slides")
    func rateLimits() async throws {
        let fixture = try AccountFixture { settings in
            settings.rateLimits.loginsPerEmail = 2
            settings.rateLimits.loginsPerAddress = 3
            settings.rateLimits.windowSeconds = 60
        }
        let service = fixture.service
        _ = try await service.startLogin(email: "r@x.test", device: nil, client: "a")
        fixture.clock.advance(seconds: 10)
        _ = try await service.startLogin(email: "r@x.test", device: nil, client: "b")
        await #expect(
            throws: AccountError.rateLimited(scope: .email, limit: 2, windowSeconds: 60, retryAfterSeconds: 50)
        ) {
            try await service.startLogin(email: "r@x.test", device: nil, client: "c")
        }
        fixture.clock.advance(seconds: 50)
        _ = try await service.startLogin(email: "r@x.test", device: nil, client: "d")

        _ = try await service.startLogin(email: "s1@x.test", device: nil, client: "e")
        _ = try await service.startLogin(email: "s2@x.test", device: nil, client: "e")
        _ = try await service.startLogin(email: "s3@x.test", device: nil, client: "e")
        await #expect(
            throws: AccountError.rateLimited(scope: .address, limit: 3, windowSeconds: 60, retryAfterSeconds: 60)
        ) {
            try await service.startLogin(email: "s4@x.test", device: nil, client: "e")
        }
    }

    @Test("a browser approves the login and the waiting app collects its token exactly once")
    func waitingApp() async throws {
        let fixture = try AccountFixture()
        let device = try DeviceDescription(name: "Desk", platform: "linux")
        let ticket = try await fixture.service.startLogin(email: "w@x.test", device: device, client: "1")
        #expect(
            try await fixture.service.awaitLogin(loginID: ticket.loginID, device: nil, timeout: .zero)
                == .pending(expiresAt: ticket.expiresAt))

        let waiting = Task {
            try await fixture.service.awaitLogin(loginID: ticket.loginID, device: nil, timeout: .seconds(20))
        }
        let approved = try await fixture.service.verify(
            token: fixture.outbox.lastToken(for: "w@x.test"), deviceName: nil, platform: nil, approveOnly: true)
        #expect(approved == .approved(email: "w@x.test"))
        let started = ContinuousClock.now
        guard case .issued(let issued) = try await waiting.value else {
            Issue.record("the waiting app got no token")
            return
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(issued.device.name == "Desk")
        #expect(try await fixture.service.authenticate(bearer: issued.deviceToken).id == issued.device.id)
        await #expect(throws: AccountError.loginClaimed) {
            try await fixture.service.awaitLogin(loginID: ticket.loginID, device: nil, timeout: .zero)
        }
        await #expect(throws: AccountError.loginUnknown) {
            try await fixture.service.awaitLogin(
                loginID: String(repeating: "a", count: 64), device: nil, timeout: .zero)
        }
    }

    @Test("a client that verifies the link itself leaves nothing for a waiting app; unopened logins expire")
    func waitingAppLoses() async throws {
        let fixture = try AccountFixture()
        let ticket = try await fixture.service.startLogin(email: "v@x.test", device: nil, client: "1")
        _ = try await fixture.service.verify(
            token: fixture.outbox.lastToken(for: "v@x.test"), deviceName: "cli", platform: nil, approveOnly: false)
        await #expect(throws: AccountError.loginClaimed) {
            try await fixture.service.awaitLogin(loginID: ticket.loginID, device: nil, timeout: .zero)
        }
        let unopened = try await fixture.service.startLogin(email: "v@x.test", device: nil, client: "1")
        fixture.clock.advance(seconds: 16 * 60)
        await #expect(throws: AccountError.loginExpired) {
            try await fixture.service.awaitLogin(loginID: unopened.loginID, device: nil, timeout: .zero)
        }
    }

    @Test("tiers: free 0, personal 1, pro unlimited, expired counts as free; registration is idempotent")
    func tiers() async throws {
        let fixture = try AccountFixture { $0.newUserTier = .free }
        let user = try await fixture.signIn("t@x.test").userID
        let service = fixture.service
        await #expect(throws: AccountError.tierLimit(tier: .free, limit: 0)) {
            try await service.registerProject(key: "a", name: nil, for: user)
        }
        try await service.setSubscription(of: user, to: Subscription(tier: .personal, expiresAt: nil))
        let (first, created) = try await service.registerProject(key: "a", name: "A", for: user)
        #expect(created && first.name == "A")
        let (again, createdAgain) = try await service.registerProject(key: "a", name: "renamed", for: user)
        #expect(!createdAgain && again == first)
        await #expect(throws: AccountError.tierLimit(tier: .personal, limit: 1)) {
            try await service.registerProject(key: "b", name: nil, for: user)
        }
        let now = fixture.clock.clock.now()
        try await service.setSubscription(of: user, to: Subscription(tier: .pro, expiresAt: now + 1000))
        let (b, _) = try await service.registerProject(key: "b", name: nil, for: user)
        #expect(b.name == "b" && b.roomID != first.roomID && b.roomID.count == 32)
        fixture.clock.advance(seconds: 2)
        await #expect(throws: AccountError.tierLimit(tier: .free, limit: 0)) {
            try await service.registerProject(key: "c", name: nil, for: user)
        }
        #expect(try await service.subscription(of: user).effectiveTier(now: fixture.clock.clock.now()) == .free)
    }

    @Test("removing a device revokes its token, reports it, and cannot reach another user's device")
    func deviceRemoval() async throws {
        let fixture = try AccountFixture()
        let alice = try await fixture.signIn("alice@x.test")
        let bob = try await fixture.signIn("bob@x.test")
        await #expect(throws: AccountError.deviceNotFound) {
            try await fixture.service.removeDevice(id: alice.device.id, of: bob.userID)
        }
        try await fixture.service.removeDevice(id: alice.device.id, of: alice.userID)
        #expect(fixture.removed.ids.withLock { $0 } == [alice.device.id])
        await #expect(throws: AccountError.invalidToken) {
            try await fixture.service.authenticate(bearer: alice.deviceToken)
        }
        await #expect(throws: AccountError.authenticationRequired) {
            try await fixture.service.authenticate(bearer: nil)
        }
        // A token with a valid signature for a device that never existed is refused too.
        let forged = fixture.service.signer.sign(DeviceToken(userID: bob.userID, deviceID: "999", issuedAt: 1))
        await #expect(throws: AccountError.invalidToken) { try await fixture.service.authenticate(bearer: forged) }
        #expect(try await fixture.service.authenticate(bearer: bob.deviceToken).userID == bob.userID)
    }

    @Test("pairing codes: case-insensitive, single use, expiring, rate-limited per address")
    func pairing() async throws {
        let fixture = try AccountFixture { $0.rateLimits.redeemsPerAddress = 4 }
        let owner = try await fixture.signIn("p@x.test")
        let service = fixture.service
        let (code, expiresAt) = try await service.createPairingCode(for: owner.userID)
        #expect(expiresAt == fixture.clock.clock.now() + 300_000)
        let device = try DeviceDescription(name: "tablet", platform: "ios")
        let redeemed = try await service.redeemPairingCode(code.lowercased(), device: device, client: "1")
        #expect(redeemed.userID == owner.userID)
        await #expect(throws: AccountError.pairingCodeUsed) {
            try await service.redeemPairingCode(code, device: device, client: "1")
        }
        let (late, _) = try await service.createPairingCode(for: owner.userID)
        fixture.clock.advance(seconds: 301)
        await #expect(throws: AccountError.pairingCodeExpired) {
            try await service.redeemPairingCode(late, device: device, client: "1")
        }
        await #expect(throws: AccountError.pairingCodeUnknown) {
            try await service.redeemPairingCode("!!", device: device, client: "1")
        }
        await #expect(
            throws: AccountError.rateLimited(scope: .address, limit: 4, windowSeconds: 900, retryAfterSeconds: 599)
        ) {
            try await service.redeemPairingCode("ZZZZ-ZZZZ", device: device, client: "1")
        }
    }

    @Test("quick setup makes an account without email only when enabled")
    func quickSetup() async throws {
        let device = try DeviceDescription(name: nil, platform: nil)
        #expect(device == (try DeviceDescription(name: "Unnamed device", platform: "unknown")))
        await #expect(throws: AccountError.quickSetupDisabled) {
            try await AccountFixture().service.quickSetup(device: device, client: "1")
        }
        let fixture = try AccountFixture { $0.quickSetupEnabled = true }
        let issued = try await fixture.service.quickSetup(device: device, client: "1")
        #expect(try await fixture.service.users().map(\.user.email) == [nil])
        #expect(try await fixture.service.authenticate(bearer: issued.deviceToken).userID == issued.userID)
    }

    @Test("the account-backed relay policy admits a live device to its own projects' rooms only")
    func accessPolicy() async throws {
        let fixture = try AccountFixture()
        let alice = try await fixture.signIn("alice@x.test")
        let bob = try await fixture.signIn("bob@x.test")
        let (project, _) = try await fixture.service.registerProject(key: "k", name: nil, for: alice.userID)
        let policy = AccountAccessPolicy(signer: fixture.service.signer, store: fixture.store)
        let room = RoomID(project.roomID)
        let principal = try await policy.authorize(
            token: alice.deviceToken, device: DeviceID(alice.deviceID), room: room)
        #expect(principal.userID == alice.userID)
        await #expect(throws: AccessDenied.roomForbidden) {
            try await policy.authorize(token: bob.deviceToken, device: DeviceID(bob.deviceID), room: room)
        }
        await #expect(throws: AccessDenied.wrongDevice) {
            try await policy.authorize(token: bob.deviceToken, device: DeviceID(alice.deviceID), room: room)
        }
        await #expect(throws: AccessDenied.tokenRequired) {
            try await policy.authorize(token: nil, device: DeviceID(alice.deviceID), room: room)
        }
        try await fixture.service.removeDevice(id: alice.device.id, of: alice.userID)
        await #expect(throws: AccessDenied.invalidToken) {
            try await policy.authorize(token: alice.deviceToken, device: DeviceID(alice.deviceID), room: room)
        }
    }

    @Test("pairing codes and limiter: format, normalising, sliding window")
    func primitives() {
        let code = PairingCode.generate()
        #expect(code.count == 9 && code[code.index(code.startIndex, offsetBy: 4)] == "-")
        #expect(PairingCode.normalize(code.lowercased()) == code.replacingOccurrences(of: "-", with: ""))
        #expect(PairingCode.normalize("oilz-abcd") == "011ZABCD")
        #expect(PairingCode.normalize("ABCD-EFG") == nil)
        #expect(PairingCode.normalize("ABCD-EFGU") == nil)
        let limiter = RequestLimiter(limit: 2, windowMillis: 1000)
        #expect(limiter.admit("k", now: 0) == nil)
        #expect(limiter.admit("k", now: 400) == nil)
        #expect(limiter.admit("k", now: 500) == 500)
        #expect(limiter.admit("other", now: 500) == nil)
        #expect(limiter.admit("k", now: 1000) == nil)
        #expect(SecretToken.randomHex(bytes: 32).count == 64)
        #expect(SecretToken.randomHex() != SecretToken.randomHex())
        #expect(SecretToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
