/// Pairing codes: a signed-in device lets a new device join the same account without email.
extension AccountService {
    /// A fresh single-use code for `user` and when it expires.
    package func createPairingCode(for user: Int) async throws(AccountError) -> (code: String, expiresAt: Int64) {
        let now = clock.now()
        let expiresAt = now + settings.pairingLifetimeMillis
        // 40 random bits: a clash with a live code is rare, but possible, so draw again.
        for _ in 0..<5 {
            let code = PairingCode.generate()
            guard let canonical = PairingCode.normalize(code) else { continue }
            let inserted = try await storage {
                try await $0.insertPairingCode(
                    codeHash: SecretToken.hash(canonical), user: user, expiresAt: expiresAt, now: now)
            }
            if inserted { return (code, expiresAt) }
        }
        throw .storageUnavailable("could not draw an unused pairing code")
    }

    /// Redeems a code for a new device on the code's account. Attempts are rate-limited per
    /// client address, which is what keeps 40-bit codes out of reach of guessing.
    package func redeemPairingCode(_ rawCode: String?, device: DeviceDescription, client: String)
        async throws(AccountError) -> IssuedDevice
    {
        guard let rawCode, !rawCode.isEmpty else { throw .missingParameter("code") }
        try admit(redeemsPerAddress, client, scope: .address)
        guard let code = PairingCode.normalize(rawCode) else { throw .pairingCodeUnknown }
        let now = clock.now()
        let outcome = try await storage { try await $0.redeemPairingCode(codeHash: SecretToken.hash(code), now: now) }
        switch outcome {
        case .unknown: throw .pairingCodeUnknown
        case .expired: throw .pairingCodeExpired
        case .used: throw .pairingCodeUsed
        case .redeemed(let user): return try await issueDevice(for: user, device)
        }
    }
}
