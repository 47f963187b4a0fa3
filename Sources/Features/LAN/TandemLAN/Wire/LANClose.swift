package import TandemConnection

/// The close codes of the LAN endpoint; docs/protocol-lan.md lists them.
package enum LANClose {
    /// The handshake's pairing secret is wrong (JotBunker's own code and text).
    package static let invalidPairingSecret = CloseReason(code: 4001, reason: "Invalid pairing secret")
    /// A frame that is not JSON, lacks required fields, or comes out of order (such as a handshake before key_init).
    package static let protocolError = CloseReason(code: 4002, reason: "Protocol error")
    /// A plaintext message after the keys were exchanged: everything after key_exchange must be encrypted.
    package static let plaintextAfterKeyExchange = CloseReason(code: 4003, reason: "Plaintext after key exchange")
    /// An encrypted frame that does not authenticate under the connection's key.
    package static let decryptionFailed = CloseReason(code: 4004, reason: "Decryption failed")
    /// A nonce this connection already used.
    package static let replayedNonce = CloseReason(code: 4005, reason: "Replayed nonce")
    /// Key exchange and handshake did not finish within the handshake timeout.
    package static let handshakeTimeout = CloseReason(code: 4008, reason: "Handshake timeout")
    /// The same device connected again; the older connection is closed.
    package static let replaced = CloseReason(code: 4009, reason: "Replaced by a newer connection of this device")
}
