import TandemConnection
import TandemRelay
import Testing

@testable import TandemAuth

@Suite("Device tokens")
struct DeviceTokenTests {
    let signer = DeviceTokenSigner(secret: "test-secret")

    @Test("a signed token is userId:deviceId:timestamp.hex and verifies to its fields")
    func roundTrip() throws {
        let token = signer.sign(DeviceToken(userID: 42, deviceID: "dev-abc", issuedAt: 1_700_000_000_000))
        #expect(token.hasPrefix("42:dev-abc:1700000000000."))
        let signature = token.split(separator: ".").last ?? ""
        #expect(signature.count == 64)
        #expect(signature.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(signer.verify(token) == DeviceToken(userID: 42, deviceID: "dev-abc", issuedAt: 1_700_000_000_000))
    }

    @Test("the signature is HMAC-SHA256 of the payload (value computed independently)")
    func knownVector() {
        // HMAC-SHA256(key "test-secret", "42:dev-abc:1700000000000"), computed independently with Python's hmac.
        let token = signer.sign(DeviceToken(userID: 42, deviceID: "dev-abc", issuedAt: 1_700_000_000_000))
        #expect(token == "42:dev-abc:1700000000000.\(Self.expectedHex)")
    }
    static let expectedHex = "40fcf6e060dbefc625728a984998ffac3060784f05d407ce0f926c84936c4d3a"

    @Test("device ids may contain ':' and '.'")
    func separatorsInDeviceID() {
        let fields = DeviceToken(userID: 7, deviceID: "mac:book.local", issuedAt: 5)
        #expect(signer.verify(signer.sign(fields)) == fields)
    }

    @Test(
        "forged, altered and malformed tokens are refused",
        arguments: [
            "", "garbage", "42:dev-abc:1700000000000", "42:dev-abc:1700000000000.",
            "0:dev-abc:1700000000000.00", "-1:dev:1.00", "x:dev:1.00", "42::1.00", "42:dev:notanumber.00",
        ])
    func refused(token: String) {
        #expect(signer.verify(token) == nil)
    }

    @Test("changing any part of a valid token invalidates it")
    func tampering() {
        let token = signer.sign(DeviceToken(userID: 42, deviceID: "dev-abc", issuedAt: 1))
        #expect(signer.verify(token.replacingOccurrences(of: "42:", with: "43:")) == nil)
        #expect(signer.verify(token.replacingOccurrences(of: "dev-abc", with: "dev-abd")) == nil)
        #expect(signer.verify(token.uppercased()) == nil)
        #expect(DeviceTokenSigner(secret: "other").verify(token) == nil)
        var flipped = Array(token)
        flipped[flipped.count - 1] = flipped.last == "0" ? "1" : "0"
        #expect(signer.verify(String(flipped)) == nil)
    }

    @Test("djb2 matches Hone's vectors")
    func djb2Vectors() {
        #expect(LegacyDJB2.hash("") == 5381)
        #expect(LegacyDJB2.hash("room1") == 273_460_755)
        #expect(LegacyDJB2.hash("hello") == 261_238_937)
        #expect(LegacyDJB2.signature(payload: "42:dev-abc:1700000000000", secret: "test-secret") == "1996133235")
    }

    @Test("legacy Hone tokens verify only when enabled")
    func legacyTokens() {
        let legacy = "42:dev-abc:1700000000000.1996133235"
        #expect(signer.verify(legacy) == nil)
        let migrating = DeviceTokenSigner(secret: "test-secret", acceptsLegacyTokens: true)
        #expect(migrating.verify(legacy)?.userID == 42)
        #expect(migrating.verify("42:dev-abc:1700000000000.1996133236") == nil)
    }

    @Test("the policy checks presence, validity and device; development mode admits all")
    func policy() async throws {
        let policy = DeviceTokenPolicy(signer: signer)
        let token = signer.sign(DeviceToken(userID: 9, deviceID: "d", issuedAt: 1))
        await #expect(throws: AccessDenied.tokenRequired) {
            try await policy.authorize(token: nil, device: DeviceID("d"), room: RoomID("r"))
        }
        await #expect(throws: AccessDenied.invalidToken) {
            try await policy.authorize(token: "nope", device: DeviceID("d"), room: RoomID("r"))
        }
        await #expect(throws: AccessDenied.wrongDevice) {
            try await policy.authorize(token: token, device: DeviceID("e"), room: RoomID("r"))
        }
        let principal = try await policy.authorize(token: token, device: DeviceID("d"), room: RoomID("r"))
        #expect(principal.userID == 9)
        let open = try await DeviceTokenPolicy(signer: nil).authorize(
            token: nil, device: DeviceID("x"), room: RoomID("r"))
        #expect(open.userID == nil)
    }
}
