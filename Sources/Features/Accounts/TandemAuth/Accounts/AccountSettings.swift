/// The accounts service's rules. Every value is configurable (auth.conf).
package struct AccountSettings: Sendable, Equatable {
    /// How long a magic link works, and how long after it is opened the waiting app may collect
    /// its token.
    package var linkLifetimeMillis: Int64 = 15 * 60_000
    /// How long a pairing code works.
    package var pairingLifetimeMillis: Int64 = 5 * 60_000
    /// The tier new accounts get. Self-hosters usually want an unlimited one.
    package var newUserTier: Tier = .pro
    package var tierLimits = TierLimits()
    /// Whether `quick-setup` may create accounts without an email.
    package var quickSetupEnabled = false
    package var rateLimits = AccountRateLimits()
    /// Base of the links in mail, e.g. `https://auth.example.com`; no trailing slash.
    package var publicURL = "http://127.0.0.1:8445"
    /// Longest a waiting app's request is held open before it is told to ask again.
    package var maxLoginWait: Duration = .seconds(60)

    package init() {}
}

/// A device token just issued, with the ids a client stores next to it.
package struct IssuedDevice: Sendable, Equatable {
    package let deviceToken: String
    package let device: DeviceRecord

    package var userID: Int { device.userID }
    package var deviceID: String { device.deviceID }
}

/// What an app gets back when it starts a login.
package struct LoginTicket: Sendable, Equatable {
    /// The secret the app waits on; known only to the app that started the login.
    package let loginID: String
    package let expiresAt: Int64
}

/// What a magic link did when opened.
package enum VerifyOutcome: Sendable, Equatable {
    /// The caller receives the device token (a client calling verify itself).
    case issued(IssuedDevice)
    /// The link was opened in a browser; the app that started the login collects its token.
    case approved(email: String)
}

/// The answer to an app waiting on its login.
package enum LoginWaitOutcome: Sendable, Equatable {
    case issued(IssuedDevice)
    /// Nobody has opened the link yet; ask again.
    case pending(expiresAt: Int64)
}

/// The service's request limits. Each counts within `windowSeconds`.
package struct AccountRateLimits: Sendable, Equatable {
    package var windowSeconds: Int = 900
    /// Login links sent to one email address.
    package var loginsPerEmail: Int = 5
    /// Login links and quick-setup accounts requested from one client address.
    package var loginsPerAddress: Int = 20
    /// Pairing-code redemption attempts from one client address.
    package var redeemsPerAddress: Int = 10

    package init() {}
}
