/// Magic-link login, the app's wait for its token, and quick setup.
extension AccountService {
    /// Sends a magic link to `email` and returns the login id the starting app waits on.
    ///
    /// The answer is the same whether or not the address has an account: the account is made
    /// when the link is first used. `client` is the caller's address, for the rate limit.
    package func startLogin(email rawEmail: String?, device: DeviceDescription?, client: String)
        async throws(AccountError) -> LoginTicket
    {
        let email = try AccountInput.email(rawEmail)
        try admit(loginsPerAddress, client, scope: .address)
        try admit(loginsPerEmail, email, scope: .email)
        let token = SecretToken.randomHex(bytes: 32)
        let loginID = SecretToken.randomHex(bytes: 32)
        let now = clock.now()
        let expiresAt = now + settings.linkLifetimeMillis
        let link = NewMagicLink(
            email: email, tokenHash: SecretToken.hash(token), loginHash: SecretToken.hash(loginID),
            deviceName: device?.name, platform: device?.platform, expiresAt: expiresAt, createdAt: now)
        try await storage { try await $0.insertMagicLink(link) }
        do {
            try await mailer.sendLoginLink(
                to: email, link: publicURL + "/auth/verify?token=" + token, expiresAt: expiresAt)
        } catch {
            throw .mailUnavailable(String(describing: error))
        }
        return LoginTicket(loginID: loginID, expiresAt: expiresAt)
    }

    /// Uses a magic link. A client calling it itself (`approveOnly` false) registers `device` and
    /// gets the token; a browser (`approveOnly` true) only approves the login, and the app that
    /// started it collects the token with `awaitLogin`.
    /// `deviceName` and `platform`, when absent, come from the login request.
    package func verify(token: String?, deviceName: String?, platform: String?, approveOnly: Bool)
        async throws(AccountError) -> VerifyOutcome
    {
        guard let token, !token.isEmpty else { throw .missingParameter("token") }
        // Bad device fields must not use up the link.
        _ = try DeviceDescription(name: deviceName, platform: platform)
        // Anything but 64 hex digits cannot be a link; no need to ask storage.
        guard token.utf8.count == 64, token.utf8.allSatisfy({ isLowerHex($0) }) else { throw .linkUnknown }
        let now = clock.now()
        let tier = settings.newUserTier
        let outcome = try await storage {
            try await $0.consumeMagicLink(
                tokenHash: SecretToken.hash(token), now: now, newUserTier: tier, claim: !approveOnly)
        }
        switch outcome {
        case .unknown: throw .linkUnknown
        case .expired: throw .linkExpired
        case .used: throw .linkUsed
        case .consumed(let user, let loginHash, let storedName, let storedPlatform):
            if approveOnly {
                await signals.signal(loginHash)
                return .approved(email: user.email ?? "")
            }
            let described = try DeviceDescription(name: deviceName ?? storedName, platform: platform ?? storedPlatform)
            return .issued(try await issueDevice(for: user.id, described))
        }
    }

    /// Waits (at most `timeout`, capped by settings) until the login's link is opened in a
    /// browser, then registers the app's device and returns its token. Only one caller gets it.
    package func awaitLogin(loginID: String?, device: DeviceDescription?, timeout: Duration) async throws(AccountError)
        -> LoginWaitOutcome
    {
        guard let loginID, !loginID.isEmpty else { throw .missingParameter("loginId") }
        guard loginID.utf8.count == 64, loginID.utf8.allSatisfy({ isLowerHex($0) }) else { throw .loginUnknown }
        let loginHash = SecretToken.hash(loginID)
        let wait = min(timeout, settings.maxLoginWait)
        var waited = false
        while true {
            let now = clock.now()
            let openedSince = now - settings.linkLifetimeMillis
            let claim = try await storage {
                try await $0.claimLogin(loginHash: loginHash, now: now, openedSince: openedSince)
            }
            switch claim {
            case .unknown: throw .loginUnknown
            case .expired: throw .loginExpired
            case .claimed: throw .loginClaimed
            case .ready(let user, let deviceName, let platform):
                var described = device
                if described == nil { described = try DeviceDescription(name: deviceName, platform: platform) }
                guard let described else { throw .missingParameter("deviceName") }
                return .issued(try await issueDevice(for: user.id, described))
            case .pending(let expiresAt):
                if waited || wait <= .zero { return .pending(expiresAt: expiresAt) }
                waited = true
                await signals.wait(for: loginHash, timeout: wait)
                // The app went away: nobody would receive a device issued now.
                if Task.isCancelled { return .pending(expiresAt: expiresAt) }
            }
        }
    }

    /// Creates an account without email and its first device, when configuration allows it.
    package func quickSetup(device: DeviceDescription, client: String) async throws(AccountError) -> IssuedDevice {
        guard settings.quickSetupEnabled else { throw .quickSetupDisabled }
        try admit(loginsPerAddress, client, scope: .address)
        let now = clock.now()
        let tier = settings.newUserTier
        let user = try await storage { try await $0.createUser(email: nil, tier: tier, now: now) }
        return try await issueDevice(for: user.id, device)
    }
}

private func isLowerHex(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
}
