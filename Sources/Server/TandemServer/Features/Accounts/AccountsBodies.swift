import Hummingbird
import TandemAuth

// JSON bodies of the accounts API. Times are milliseconds since 1970; docs/auth-api.md shows each.

/// `{"deviceToken","userId","deviceId"}`: the field names the Hone IDE reads.
struct IssuedDeviceBody: ResponseEncodable {
    let ok = true
    let deviceToken: String
    let userId: Int
    let deviceId: String

    init(_ issued: IssuedDevice) {
        deviceToken = issued.deviceToken
        userId = issued.userID
        deviceId = issued.deviceID
    }
}

struct LoginStartedBody: ResponseEncodable {
    let ok = true
    let loginId: String
    let expiresAt: Int64
    let message = "If the address can receive mail, a login link is on its way."
}

struct LoginPendingBody: ResponseEncodable {
    let ok = false
    let status = "pending"
    let expiresAt: Int64
}

struct DeviceBody: ResponseEncodable {
    let id: Int
    let deviceId: String
    let userId: Int
    let deviceName: String
    let platform: String
    let createdAt: Int64
    let lastSeen: Int64
    /// Whether this is the device whose token made the request.
    let current: Bool

    init(_ device: DeviceRecord, current: Bool) {
        id = device.id
        deviceId = device.deviceID
        userId = device.userID
        deviceName = device.name
        platform = device.platform
        createdAt = device.createdAt
        lastSeen = device.lastSeen
        self.current = current
    }
}

struct DeviceListBody: ResponseEncodable {
    let devices: [DeviceBody]
}

struct ProjectBody: ResponseEncodable {
    let id: Int
    let projectKey: String
    let name: String
    let roomId: String
    let createdAt: Int64
    /// Set on registration: false when the key was already registered.
    var created: Bool?

    init(_ project: ProjectRecord, created: Bool? = nil) {
        id = project.id
        projectKey = project.projectKey
        name = project.name
        roomId = project.roomID
        createdAt = project.createdAt
        self.created = created
    }
}

struct ProjectListBody: ResponseEncodable {
    let projects: [ProjectBody]
}

struct SubscriptionBody: ResponseEncodable {
    let tier: String
    /// The tier in force now: free once `expiresAt` has passed.
    let effectiveTier: String
    let expiresAt: Int64?
    let expired: Bool
    /// nil: unlimited.
    let projectLimit: Int?
    let projects: Int
}

struct PairingCodeBody: ResponseEncodable {
    let code: String
    let expiresAt: Int64
}

struct OKBody: ResponseEncodable {
    let ok = true
}

/// `POST /auth/project`.
struct ProjectRequest: Decodable {
    let projectKey: String?
    let name: String?
}

/// `POST /auth/pairing-code/redeem`.
struct RedeemRequest: Decodable {
    let code: String?
    let deviceName: String?
    let platform: String?
}
