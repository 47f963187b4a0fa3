import TandemConnection
import TandemSodium

/// The secret a phone learns from the pairing QR code and proves in its handshake.
public struct PairingSecret: Sendable, Equatable {
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    /// 128 random bits as 32 lowercase hex digits: no `:`, so it fits the `ip:port:secret` payload.
    public static func generate() -> PairingSecret {
        PairingSecret(Sodium.randomBytes(16).lowercaseHex)
    }

    /// Constant-time comparison (`sodium_memcmp`), so timing does not reveal how much of a guess was right.
    public func matches(_ candidate: String) -> Bool {
        Sodium.constantTimeEquals(Array(value.utf8), Array(candidate.utf8))
    }
}
