import Crypto
import Foundation
import TandemConnection
import TandemRelay

/// Issues and verifies device tokens under a shared secret.
///
/// The signature is the lowercase hex HMAC-SHA256 of `userId:deviceId:timestamp`. Tokens signed
/// with the legacy Hone double-djb2 scheme verify only when `acceptsLegacyTokens` is set: that
/// scheme is not a MAC and can be forged by anyone who sees enough tokens.
package struct DeviceTokenSigner: Sendable {
    private let secret: String
    package let acceptsLegacyTokens: Bool

    // SymmetricKey is not Sendable; making one per use is cheap next to the MAC itself.
    private var key: SymmetricKey { SymmetricKey(data: Data(secret.utf8)) }

    package init(secret: String, acceptsLegacyTokens: Bool = false) {
        self.secret = secret
        self.acceptsLegacyTokens = acceptsLegacyTokens
    }

    /// A signed token for `token`'s fields.
    package func sign(_ token: DeviceToken) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(token.payload.utf8), using: key)
        return token.payload + "." + mac.lowercaseHex
    }

    /// The token's fields if its signature is valid, else nil. Runs in constant time in the
    /// signature's content.
    package func verify(_ token: String) -> DeviceToken? {
        guard let (fields, payload, signature) = DeviceToken.parse(token) else { return nil }
        if signature.utf8.count == 64, let mac = Self.bytes(fromLowercaseHex: signature) {
            return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(payload.utf8), using: key)
                ? fields : nil
        }
        if acceptsLegacyTokens, LegacyDJB2.verify(payload: String(payload), signature: signature, secret: secret) {
            return fields
        }
        return nil
    }

    private static func bytes(fromLowercaseHex hex: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for char in hex.utf8 {
            let nibble: UInt8
            switch char {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = char - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = char - UInt8(ascii: "a") + 10
            default: return nil
            }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return high == nil ? bytes : nil
    }
}
