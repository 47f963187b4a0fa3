import Crypto
import Foundation
import TandemConnection

/// Random secrets and their stored hashes.
package enum SecretToken {
    /// `byteCount` random bytes from the system's secure generator, as lowercase hex.
    package static func randomHex(bytes byteCount: Int = 32) -> String {
        SymmetricKey(size: SymmetricKeySize(bitCount: byteCount * 8)).withUnsafeBytes { Array($0) }.lowercaseHex
    }

    /// The lowercase hex SHA-256 of `secret`: what the store keeps instead of the secret.
    package static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).lowercaseHex
    }
}

/// Pairing codes: 8 characters of Crockford's base32 (40 random bits), shown as `ABCD-EFGH`.
/// Reading them back ignores case, dashes and spaces, and takes O for 0 and I or L for 1.
package enum PairingCode {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    static let length = 8

    /// A fresh code in its display form.
    package static func generate() -> String {
        let bytes = SymmetricKey(size: SymmetricKeySize(bitCount: 40)).withUnsafeBytes { Array($0) }
        var bits: UInt64 = 0
        for byte in bytes { bits = bits << 8 | UInt64(byte) }
        var characters: [Character] = []
        for index in 0..<length {
            let shift = UInt64(5 * (length - 1 - index))
            characters.append(alphabet[Int((bits >> shift) & 0x1f)])
        }
        return String(characters[0..<4]) + "-" + String(characters[4...])
    }

    /// The canonical form (8 upper-case characters), or nil when `input` cannot be a code.
    package static func normalize(_ input: String) -> String? {
        var out: [Character] = []
        for character in input.uppercased() where character != "-" && character != " " {
            switch character {
            case "O": out.append("0")
            case "I", "L": out.append("1")
            default:
                guard alphabet.contains(character) else { return nil }
                out.append(character)
            }
        }
        return out.count == length ? String(out) : nil
    }
}
