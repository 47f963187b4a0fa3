import CSodium
import TandemSodium

/// NaCl secretbox (XSalsa20-Poly1305) under one connection's shared key.
package struct SecretBox: Sendable {
    package static let nonceBytes = Int(crypto_secretbox_NONCEBYTES)
    private static let macBytes = Int(crypto_secretbox_MACBYTES)

    private let key: [UInt8]

    init(key: [UInt8]) {
        self.key = key
    }

    /// Encrypts `plaintext` under a fresh random nonce.
    package func seal(_ plaintext: [UInt8]) -> (nonce: [UInt8], ciphertext: [UInt8]) {
        let nonce = Sodium.randomBytes(Self.nonceBytes)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + Self.macBytes)
        _ = crypto_secretbox_easy(&ciphertext, plaintext, UInt64(plaintext.count), nonce, key)
        return (nonce, ciphertext)
    }

    /// Decrypts and authenticates; throws if a single bit of nonce or ciphertext was changed.
    package func open(nonce: [UInt8], ciphertext: [UInt8]) throws(ChannelError) -> [UInt8] {
        guard nonce.count == Self.nonceBytes else { throw .badNonce }
        guard ciphertext.count >= Self.macBytes else { throw .authenticationFailed }
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count - Self.macBytes)
        guard crypto_secretbox_open_easy(&plaintext, ciphertext, UInt64(ciphertext.count), nonce, key) == 0 else {
            throw .authenticationFailed
        }
        return plaintext
    }
}
