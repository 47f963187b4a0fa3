import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("LAN channel security", .timeLimit(.minutes(1)))
struct LANSecurityTests {
    typealias F = LANFixture

    @Test("a wrong pairing secret closes with 4001 and pairs nothing")
    func wrongSecret() async throws {
        let server = try await F.start()
        let phone = try await PhoneClient.connect(server)
        phone.send(["type": "handshake", "deviceId": "intruder", "lastSyncTimestamp": 0, "pairingSecret": "guess"])
        let closed = try await phone.socket.closed()
        #expect(closed.code == 4001)
        #expect(closed.reason == "Invalid pairing secret")
        #expect((try await F.api(server, "GET", "/lan/devices").json as? [Any])?.isEmpty == true)
        try await server.stop()
    }

    @Test("plaintext after the key exchange is refused with 4003")
    func plaintextAfterKeyExchange() async throws {
        let server = try await F.start()
        let phone = try await PhoneClient.connect(server)
        phone.socket.send(json: [
            "type": "handshake", "deviceId": "phone", "lastSyncTimestamp": 0, "pairingSecret": F.secret,
        ])
        #expect(try await phone.socket.closed().code == 4003)
        try await server.stop()
    }

    @Test("plaintext after pairing is refused with 4003 too")
    func plaintextAfterPairing() async throws {
        let server = try await F.start()
        let (phone, _) = try await PhoneClient.pair(server, device: "phone")
        phone.socket.send(json: ["type": "heartbeat"])
        #expect(try await phone.socket.closed().code == 4003)
        try await server.stop()
    }

    @Test("a frame whose ciphertext was altered is refused with 4004")
    func tamperedCiphertext() async throws {
        let server = try await F.start()
        let (phone, _) = try await PhoneClient.pair(server, device: "phone")
        let text = PhoneCrypto.seal(Data(#"{"type":"heartbeat"}"#.utf8), key: phone.key)
        var envelope = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var box = try #require(Data(base64Encoded: envelope["d"] as? String ?? ""))
        box[box.count - 1] ^= 0x01
        envelope["d"] = box.base64EncodedString()
        phone.socket.send(json: envelope)
        #expect(try await phone.socket.closed().code == 4004)
        try await server.stop()
    }

    @Test("a frame sent again with the same nonce is refused with 4005")
    func replayedNonce() async throws {
        let server = try await F.start()
        let (phone, _) = try await PhoneClient.pair(server, device: "phone")
        let frame = phone.send(["type": "heartbeat"])
        #expect(try await phone.next()["type"] as? String == "heartbeat")
        phone.socket.send(frame)
        #expect(try await phone.socket.closed().code == 4005)
        try await server.stop()
    }

    @Test("the server's own frame reflected back to it is refused with 4005")
    func reflectedFrame() async throws {
        let server = try await F.start()
        let phone = try await PhoneClient.connect(server)
        phone.send(["type": "handshake", "deviceId": "phone", "lastSyncTimestamp": 0, "pairingSecret": F.secret])
        let offer = try await phone.socket.next()
        #expect(try PhoneCrypto.open(offer, key: phone.key)["type"] as? String == "state_sync")
        phone.socket.send(json: offer)
        #expect(try await phone.socket.closed().code == 4005)
        try await server.stop()
    }

    @Test("an encrypted frame before key_init is a protocol error (4002)")
    func outOfOrder() async throws {
        let server = try await F.start()
        let socket = try await TestSocket.connect(server.lanURL)
        socket.send(PhoneCrypto.seal(Data(#"{"type":"heartbeat"}"#.utf8), key: [UInt8](repeating: 7, count: 32)))
        #expect(try await socket.closed().code == 4002)
        try await server.stop()
    }

    @Test("GET /ping answers like JotBunker's computer, for the phone's reachability check")
    func ping() async throws {
        let server = try await F.start()
        let (data, _) = try await URLSession.shared.data(
            from: URL(string: "http://127.0.0.1:\(server.ports.lan ?? 0)/ping")!)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: String]
        #expect(object?["status"] == "ok")
        try await server.stop()
    }

    @Test("no handshake within join.timeout.seconds closes with 4008")
    func handshakeTimeout() async throws {
        let server = try await F.start(["join.timeout.seconds": "1"])
        // Keys are offered but no handshake follows; on a loaded machine the deadline may pass
        // before the key_exchange answer, so that answer is not awaited.
        let socket = try await TestSocket.connect(server.lanURL)
        let (publicKey, _) = PhoneCrypto.keyPair()
        socket.send(json: ["type": "key_init", "publicKey": Data(publicKey).base64EncodedString()])
        #expect(try await socket.closed().code == 4008)
        try await server.stop()
    }

    @Test("a second connection of the same device closes the first with 4009")
    func replaced() async throws {
        let server = try await F.start()
        let (first, _) = try await PhoneClient.pair(server, device: "phone")
        let (second, _) = try await PhoneClient.pair(server, device: "phone")
        #expect(try await first.socket.closed().code == 4009)
        try await second.roundTrip()
        await second.close()
        try await server.stop()
    }
}
