import CSodium

/// libsodium, initialised once per process before any of its functions runs.
package enum Sodium {
    /// `sodium_init` is safe to call more than once; the lazy static makes it happen once, before first use.
    package static let isReady: Bool = sodium_init() >= 0

    /// `count` bytes from libsodium's CSPRNG.
    package static func randomBytes(_ count: Int) -> [UInt8] {
        precondition(isReady, "libsodium failed to initialise")
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { randombytes_buf(base, count) }
        }
        return bytes
    }

    /// Compares in time that depends only on the length, never on where the bytes differ.
    package static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in sodium_memcmp(x.baseAddress, y.baseAddress, a.count) }
        }
            == 0
    }
}
