import CSodium
import Crypto
import Foundation
import TandemConnection
import TandemSodium

/// Session UUIDs: random version-4 UUIDs (122 random bits from libsodium) in lower case. The
/// client holds the UUID; storage holds only its SHA-256.
package enum SessionToken {
    /// A fresh session UUID, e.g. `1b4e28ba-2fa1-41d2-883f-0016d3cca427`.
    package static func generate() -> String {
        precondition(Sodium.isReady, "libsodium failed to initialise")
        var bytes = [UInt8](repeating: 0, count: 16)
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { randombytes_buf(base, 16) }
        }
        bytes[6] = bytes[6] & 0x0f | 0x40
        bytes[8] = bytes[8] & 0x3f | 0x80
        let uuid = UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
        return uuid.uuidString.lowercased()
    }

    /// The canonical (lower-case) form of a UUID a client sent, or nil when it is not a UUID.
    package static func normalize(_ raw: String) -> String? {
        guard raw.utf8.count == 36, let uuid = UUID(uuidString: raw) else { return nil }
        return uuid.uuidString.lowercased()
    }

    /// What the store keeps: the lowercase hex SHA-256 of the canonical UUID.
    package static func hash(_ sessionUUID: String) -> String {
        SHA256.hash(data: Data(sessionUUID.utf8)).lowercaseHex
    }
}
