import TandemConnection
import TandemSodium

/// The secret a phone learns from the pairing QR code and proves in its handshake.
package struct PairingSecret: Sendable, Equatable {
    package let value: String

    package init(_ value: String) {
        self.value = value
    }

    /// 128 random bits as 32 lowercase hex digits: no `:`, so it fits the `ip:port:secret` payload.
    package static func generate() -> PairingSecret {
        PairingSecret(Sodium.randomBytes(16).lowercaseHex)
    }

    /// Constant-time comparison (`sodium_memcmp`), so timing does not reveal how much of a guess was right.
    package func matches(_ candidate: String) -> Bool {
        Sodium.constantTimeEquals(Array(value.utf8), Array(candidate.utf8))
    }
}
