import TandemConnection
import Testing

@testable import TandemRelay

@Suite("Relay core: revocation")
struct RevocationTests {
    @Test("disconnect(device:) closes that device in every room and nobody else")
    func disconnectDevice() async throws {
        let harness = Harness()
        let inFirst = try await harness.join("phone", room: "one")
        let inSecond = try await harness.join("phone", room: "two")
        let other = try await harness.join("laptop", room: "one")
        #expect(harness.relay.disconnect(device: DeviceID("phone"), reason: .tokenRevoked) == 2)
        #expect(await inFirst.pending().last == .close(.tokenRevoked))
        #expect(await inSecond.pending() == [.close(.tokenRevoked)])
        #expect(!(await other.pending().contains(.close(.tokenRevoked))))
        #expect(harness.relay.disconnect(device: DeviceID("tablet"), reason: .tokenRevoked) == 0)
    }

    @Test("a join admitted after its device was revoked is closed at once; other devices join as usual")
    func joinAfterRevocation() async throws {
        let harness = Harness()
        let before = try await harness.join("phone", room: "one")
        #expect(harness.relay.revoke(device: DeviceID("phone"), reason: .tokenRevoked) == 1)
        #expect(await before.pending().last == .close(.tokenRevoked))
        // Its token was checked before the revocation; it is admitted only now.
        let late = try await harness.join("phone", room: "two")
        #expect(await late.pending().last == .close(.tokenRevoked))
        let other = try await harness.join("laptop", room: "two")
        #expect(!(await other.pending().contains(.close(.tokenRevoked))))
    }

    @Test("disconnect(room:) closes every member of that room only")
    func disconnectRoom() async throws {
        let harness = Harness()
        let a = try await harness.join("A", room: "gone")
        let b = try await harness.join("B", room: "gone")
        let c = try await harness.join("C", room: "kept")
        #expect(harness.relay.disconnect(room: RoomID("gone"), reason: .roomRevoked) == 2)
        #expect(await a.pending().last == .close(.roomRevoked))
        #expect(await b.pending().last == .close(.roomRevoked))
        #expect(await c.pending().isEmpty)
        #expect(harness.relay.disconnect(room: RoomID("never-held"), reason: .roomRevoked) == 0)
        #expect(CloseReason.tokenRevoked.code == 4401 && CloseReason.roomRevoked.code == 4403)
    }
}
