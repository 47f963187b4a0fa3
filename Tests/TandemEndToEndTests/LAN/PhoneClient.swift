import CSodium
import Foundation

/// A JotBunker phone for tests: its own X25519 key pair and secretbox from libsodium, speaking the real wire to
/// a server's LAN port.
final class PhoneClient: Sendable {
    let socket: TestSocket
    let key: [UInt8]

    private init(socket: TestSocket, key: [UInt8]) {
        self.socket = socket
        self.key = key
    }

    /// Connects and exchanges keys (key_init, key_exchange); nothing is paired yet.
    static func connect(_ server: TestServer) async throws -> PhoneClient {
        let socket = try await TestSocket.connect(server.lanURL)
        let (publicKey, secretKey) = PhoneCrypto.keyPair()
        socket.send(json: ["type": "key_init", "publicKey": Data(publicKey).base64EncodedString()])
        let reply = try await socket.next()
        guard reply["type"] as? String == "key_exchange", let encoded = reply["publicKey"] as? String,
            let serverKey = Data(base64Encoded: encoded), serverKey.count == 32
        else { throw Timeout(description: "expected key_exchange, got \(reply)") }
        return PhoneClient(socket: socket, key: try PhoneCrypto.sharedKey(Array(serverKey), secretKey))
    }

    /// Connects, exchanges keys and sends the handshake; returns the server's `state_sync` that follows it.
    static func pair(
        _ server: TestServer, device: String, secret: String = LANFixture.secret, lastSync: Double = 0
    ) async throws -> (PhoneClient, [String: Any]) {
        let phone = try await connect(server)
        phone.send(["type": "handshake", "deviceId": device, "lastSyncTimestamp": lastSync, "pairingSecret": secret])
        let offer = try await phone.next()
        guard offer["type"] as? String == "state_sync" else {
            throw Timeout(description: "expected state_sync, got \(offer)")
        }
        return (phone, offer)
    }

    /// Encrypts `message` under a fresh nonce and sends it; returns the frame's text (for replay tests).
    @discardableResult
    func send(_ message: [String: Any]) -> String {
        let text = PhoneCrypto.seal(try! JSONSerialization.data(withJSONObject: message), key: key)
        socket.send(text)
        return text
    }

    /// The next message, decrypted.
    func next(timeout: Duration = .seconds(10)) async throws -> [String: Any] {
        let envelope = try await socket.next(timeout: timeout)
        return try PhoneCrypto.open(envelope, key: key)
    }

    /// Sends `state` as `state_sync` and returns how the server ends the sync (`sync_confirm` or `sync_cancel`),
    /// answering each `state_sync` on the way with `state` again, as a phone answers with its own state.
    func sync(_ state: [String: Any], timeout: Duration = .seconds(10)) async throws -> [String: Any] {
        var message = state
        message["type"] = "state_sync"
        message["since"] = 0
        send(message)
        return try await finish(answering: message, timeout: timeout)
    }

    /// Reads to the end of a sync: each `state_sync` is answered with `answer`; returns the `sync_confirm` or
    /// `sync_cancel` (or whatever else arrives first).
    func finish(answering answer: [String: Any], timeout: Duration = .seconds(10)) async throws -> [String: Any] {
        while true {
            let reply = try await next(timeout: timeout)
            guard reply["type"] as? String == "state_sync" else { return reply }
            send(answer)
        }
    }

    /// A heartbeat round trip: when it returns, the server has handled everything sent before.
    func roundTrip() async throws {
        send(["type": "heartbeat"])
        let reply = try await next()
        guard reply["type"] as? String == "heartbeat" else {
            throw Timeout(description: "expected heartbeat, got \(reply)")
        }
    }

    func close() async { await socket.close() }
}

/// libsodium as the phone's tweetnacl: box key pairs, `box.before`, secretbox.
enum PhoneCrypto {
    struct Failure: Error {}

    static func keyPair() -> (publicKey: [UInt8], secretKey: [UInt8]) {
        _ = sodium_init()
        var publicKey = [UInt8](repeating: 0, count: 32)
        var secretKey = [UInt8](repeating: 0, count: 32)
        crypto_box_keypair(&publicKey, &secretKey)
        return (publicKey, secretKey)
    }

    static func sharedKey(_ peerPublic: [UInt8], _ secretKey: [UInt8]) throws -> [UInt8] {
        var key = [UInt8](repeating: 0, count: 32)
        guard crypto_box_beforenm(&key, peerPublic, secretKey) == 0 else { throw Failure() }
        return key
    }

    static func seal(_ plaintext: Data, key: [UInt8], nonce: [UInt8]? = nil) -> String {
        var nonce = nonce ?? [UInt8](repeating: 0, count: 24)
        if nonce.allSatisfy({ $0 == 0 }) { randombytes_buf(&nonce, 24) }
        let message = Array(plaintext)
        var box = [UInt8](repeating: 0, count: message.count + 16)
        crypto_secretbox_easy(&box, message, UInt64(message.count), nonce, key)
        let envelope: [String: Any] = [
            "enc": true, "n": Data(nonce).base64EncodedString(), "d": Data(box).base64EncodedString(),
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: envelope), as: UTF8.self)
    }

    static func open(_ envelope: [String: Any], key: [UInt8]) throws -> [String: Any] {
        guard envelope["enc"] as? Bool == true, let n = envelope["n"] as? String, let d = envelope["d"] as? String,
            let nonce = Data(base64Encoded: n), let box = Data(base64Encoded: d), nonce.count == 24, box.count >= 16
        else { throw Failure() }
        var plaintext = [UInt8](repeating: 0, count: box.count - 16)
        guard crypto_secretbox_open_easy(&plaintext, Array(box), UInt64(box.count), Array(nonce), key) == 0 else {
            throw Failure()
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(plaintext)) as? [String: Any] else {
            throw Failure()
        }
        return object
    }
}
