/// Why the encrypted channel refused input.
package enum ChannelError: Error, Sendable, Equatable {
    /// A public key that is not 32 bytes, or one X25519 refuses (a low-order point).
    case badPublicKey
    /// A nonce that is not 24 bytes.
    case badNonce
    /// The ciphertext does not authenticate under the channel key (tampered, truncated or another key).
    case authenticationFailed
}
