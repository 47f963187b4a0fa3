/// One account.
package struct UserRecord: Sendable, Equatable {
    package let id: Int
    /// nil for accounts made by quick setup, which have no email.
    package let email: String?
    package let createdAt: Int64

    package init(id: Int, email: String?, createdAt: Int64) {
        self.id = id
        self.email = email
        self.createdAt = createdAt
    }
}

/// One registered device (one app install) of a user.
package struct DeviceRecord: Sendable, Equatable {
    package let id: Int
    package let userID: Int
    package let name: String
    package let platform: String
    package let createdAt: Int64
    package let lastSeen: Int64

    package init(id: Int, userID: Int, name: String, platform: String, createdAt: Int64, lastSeen: Int64) {
        self.id = id
        self.userID = userID
        self.name = name
        self.platform = platform
        self.createdAt = createdAt
        self.lastSeen = lastSeen
    }

    /// The device's name on the relay and in its token: its id in decimal.
    package var deviceID: String { String(id) }
}

/// A synced project: a local workspace mapped to a relay room.
package struct ProjectRecord: Sendable, Equatable {
    package let id: Int
    package let userID: Int
    package let projectKey: String
    package let name: String
    /// Random and unguessable; the room the project's devices join on the relay.
    package let roomID: String
    package let createdAt: Int64

    package init(id: Int, userID: Int, projectKey: String, name: String, roomID: String, createdAt: Int64) {
        self.id = id
        self.userID = userID
        self.projectKey = projectKey
        self.name = name
        self.roomID = roomID
        self.createdAt = createdAt
    }
}

/// A user with the counts an administrator wants to see.
package struct UserSummary: Sendable, Equatable {
    package let user: UserRecord
    package let subscription: Subscription
    package let devices: Int
    package let projects: Int

    package init(user: UserRecord, subscription: Subscription, devices: Int, projects: Int) {
        self.user = user
        self.subscription = subscription
        self.devices = devices
        self.projects = projects
    }
}

/// A magic link about to be stored. Only hashes of its secrets are kept.
package struct NewMagicLink: Sendable, Equatable {
    package let email: String
    package let tokenHash: String
    /// Hash of the login id the starting app waits on.
    package let loginHash: String
    package let deviceName: String?
    package let platform: String?
    package let expiresAt: Int64
    package let createdAt: Int64

    package init(
        email: String, tokenHash: String, loginHash: String, deviceName: String?, platform: String?,
        expiresAt: Int64, createdAt: Int64
    ) {
        self.email = email
        self.tokenHash = tokenHash
        self.loginHash = loginHash
        self.deviceName = deviceName
        self.platform = platform
        self.expiresAt = expiresAt
        self.createdAt = createdAt
    }
}

/// What using a magic link did, decided atomically by the store.
package enum MagicLinkOutcome: Sendable, Equatable {
    case unknown
    case expired
    case used
    /// The link is now used; the user was found or created. The device fields are those the
    /// login was started with.
    case consumed(user: UserRecord, loginHash: String, deviceName: String?, platform: String?)
}

/// Where the login an app waits on stands, decided atomically by the store.
package enum LoginClaim: Sendable, Equatable {
    case unknown
    /// Nobody has opened the link yet.
    case pending(expiresAt: Int64)
    /// The link expired unopened, or it was opened too long ago.
    case expired
    /// The login already gave its device token to someone.
    case claimed
    /// The link was opened in a browser; this caller now owns the login.
    case ready(user: UserRecord, deviceName: String?, platform: String?)
}

/// What redeeming a pairing code did, decided atomically by the store.
package enum PairingOutcome: Sendable, Equatable {
    case unknown
    case expired
    case used
    case redeemed(userID: Int)
}

/// What registering a project did, decided in one transaction with the tier check.
package enum ProjectRegistration: Sendable, Equatable {
    case created(ProjectRecord)
    /// The user already had a project with this key; nothing changed.
    case existing(ProjectRecord)
    /// The user's tier allows no more projects.
    case overLimit(tier: Tier, limit: Int)
}
