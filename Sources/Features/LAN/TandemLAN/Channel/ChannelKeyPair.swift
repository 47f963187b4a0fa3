import CSodium
import TandemSodium

/// A fresh X25519 key pair for one connection; the secret half never leaves the process.
package struct ChannelKeyPair: Sendable {
    package static let publicKeyBytes = Int(crypto_box_PUBLICKEYBYTES)

    package let publicKey: [UInt8]
    private let secretKey: [UInt8]

    private init(publicKey: [UInt8], secretKey: [UInt8]) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// A new random key pair (`crypto_box_keypair`).
    package static func generate() -> ChannelKeyPair {
        precondition(Sodium.isReady, "libsodium failed to initialise")
        var publicKey = [UInt8](repeating: 0, count: Int(crypto_box_PUBLICKEYBYTES))
        var secretKey = [UInt8](repeating: 0, count: Int(crypto_box_SECRETKEYBYTES))
        _ = crypto_box_keypair(&publicKey, &secretKey)
        return ChannelKeyPair(publicKey: publicKey, secretKey: secretKey)
    }

    /// The key both sides derive (`crypto_box_beforenm`: HSalsa20 over the X25519 shared point), as
    /// tweetnacl's `nacl.box.before` does on the phone.
    package func sharedKey(with peerPublicKey: [UInt8]) throws(ChannelError) -> SecretBox {
        guard peerPublicKey.count == Self.publicKeyBytes else { throw .badPublicKey }
        var key = [UInt8](repeating: 0, count: Int(crypto_box_BEFORENMBYTES))
        guard crypto_box_beforenm(&key, peerPublicKey, secretKey) == 0 else { throw .badPublicKey }
        return SecretBox(key: key)
    }
}
