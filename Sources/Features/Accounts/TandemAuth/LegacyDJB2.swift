/// The Hone relay's original token check ("double djb2"), kept only so existing Hone tokens can be
/// accepted during a migration. It is a keyed hash, not a MAC: never use it for new tokens.
enum LegacyDJB2 {
    /// djb2 over UTF-16 code units, modulo 2^32.
    static func hash(_ string: String) -> UInt32 {
        var hash: UInt32 = 5381
        for unit in string.utf16 {
            hash = hash &* 33 &+ UInt32(unit)
        }
        return hash
    }

    /// The decimal signature Hone computes for `payload` under `secret`.
    static func signature(payload: String, secret: String) -> String {
        let inner = hash(secret + "|" + payload)
        return String(hash(String(inner) + "|" + secret + "|" + payload))
    }

    static func verify(payload: String, signature: Substring, secret: String) -> Bool {
        constantTimeEquals(Array(Self.signature(payload: payload, secret: secret).utf8), Array(signature.utf8))
    }

    private static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
