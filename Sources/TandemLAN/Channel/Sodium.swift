import CSodium

/// libsodium, initialised once per process before any of its functions runs.
enum Sodium {
    /// `sodium_init` is safe to call more than once; the lazy static makes it happen once, before first use.
    static let isReady: Bool = sodium_init() >= 0

    /// `count` bytes from libsodium's CSPRNG.
    static func randomBytes(_ count: Int) -> [UInt8] {
        precondition(isReady, "libsodium failed to initialise")
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { randombytes_buf(base, count) }
        }
        return bytes
    }

    /// `byteCount` random bytes as lowercase hex.
    static func randomHex(_ byteCount: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String(randomBytes(byteCount).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] })
    }

    /// Compares in time that depends only on the length, never on where the bytes differ.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in sodium_memcmp(x.baseAddress, y.baseAddress, a.count) }
        }
            == 0
    }
}
