import Foundation
import TandemConnection

/// The per-connection protocol state machine: key exchange, then the handshake, then paired traffic.
///
/// Owned by the connection's reading task. It decrypts and checks every frame and says what to do; it sends
/// nothing itself.
struct LANSession {
    enum Phase {
        case awaitingKeyInit
        case awaitingHandshake(SecretBox)
        case paired(device: String, box: SecretBox)
        case closed
    }

    /// What the endpoint does with one inbound frame.
    enum Step {
        /// Send `key_exchange` in plaintext with this public key; later frames are encrypted.
        case keyExchange(publicKey: [UInt8])
        /// The handshake was accepted: messages to the phone are sealed with `box`.
        case paired(device: String, box: SecretBox)
        case message(LANInbound)
        case close(CloseReason)
    }

    private var phase = Phase.awaitingKeyInit
    let secret: PairingSecret
    let nonces: NonceLedger

    init(secret: PairingSecret, nonces: NonceLedger) {
        self.secret = secret
        self.nonces = nonces
    }

    mutating func receive(_ frame: WireFrame) -> Step {
        let step = interpret(frame)
        if case .close = step { phase = .closed }
        return step
    }

    private mutating func interpret(_ frame: WireFrame) -> Step {
        guard case .text(let text) = frame, let outer = LANOuterFrame.parse(text) else {
            return .close(LANClose.protocolError)
        }
        switch phase {
        case .closed:
            return .close(LANClose.protocolError)
        case .awaitingKeyInit:
            guard case .plaintext(let json) = outer, case .keyInit(let peerKey)? = try? LANInbound.decode(json) else {
                return .close(LANClose.protocolError)
            }
            let keys = ChannelKeyPair.generate()
            guard let box = try? keys.sharedKey(with: peerKey) else { return .close(LANClose.protocolError) }
            phase = .awaitingHandshake(box)
            return .keyExchange(publicKey: keys.publicKey)
        case .awaitingHandshake(let box):
            let message: LANInbound
            switch open(outer, with: box) {
            case .success(let opened): message = opened
            case .failure(let reason): return .close(reason)
            }
            guard case .handshake(let handshake) = message, !handshake.deviceId.isEmpty else {
                return .close(LANClose.protocolError)
            }
            guard secret.matches(handshake.pairingSecret) else { return .close(LANClose.invalidPairingSecret) }
            phase = .paired(device: handshake.deviceId, box: box)
            return .paired(device: handshake.deviceId, box: box)
        case .paired(_, let box):
            switch open(outer, with: box) {
            case .success(.keyInit), .success(.handshake): return .close(LANClose.protocolError)
            case .success(let message): return .message(message)
            case .failure(let reason): return .close(reason)
            }
        }
    }

    /// Checks nonce freshness, authenticates and decodes one encrypted frame.
    private func open(_ outer: LANOuterFrame, with box: SecretBox) -> Result<LANInbound, CloseReason> {
        guard case .encrypted(let nonce, let ciphertext) = outer else {
            return .failure(LANClose.plaintextAfterKeyExchange)
        }
        guard nonce.count == SecretBox.nonceBytes else { return .failure(LANClose.decryptionFailed) }
        if nonces.contains(nonce) { return .failure(LANClose.replayedNonce) }
        guard let plaintext = try? box.open(nonce: nonce, ciphertext: ciphertext) else {
            return .failure(LANClose.decryptionFailed)
        }
        guard nonces.insert(nonce) else { return .failure(LANClose.replayedNonce) }
        guard let message = try? LANInbound.decode(Data(plaintext)) else { return .failure(LANClose.protocolError) }
        return .success(message)
    }
}
