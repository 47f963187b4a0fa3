/// The fields of a device token `userId:deviceId:timestamp.signature`.
package struct DeviceToken: Sendable, Equatable {
    package let userID: Int
    package let deviceID: String
    /// When the token was issued, milliseconds since 1970.
    package let issuedAt: Int64

    package init(userID: Int, deviceID: String, issuedAt: Int64) {
        self.userID = userID
        self.deviceID = deviceID
        self.issuedAt = issuedAt
    }

    /// The signed part: `userId:deviceId:timestamp`.
    package var payload: String { "\(userID):\(deviceID):\(issuedAt)" }

    /// Splits a token into its fields and signature, or nil when it is not of the token's shape.
    /// The device id may itself contain ':'; the user id is a positive integer.
    static func parse(_ token: String) -> (DeviceToken, payload: Substring, signature: Substring)? {
        guard let dot = token.lastIndex(of: ".") else { return nil }
        let payload = token[..<dot]
        let signature = token[token.index(after: dot)...]
        guard let firstColon = payload.firstIndex(of: ":"), let lastColon = payload.lastIndex(of: ":"),
            firstColon < lastColon,
            let userID = Int(payload[..<firstColon]), userID >= 1,
            let issuedAt = Int64(payload[payload.index(after: lastColon)...])
        else { return nil }
        let deviceID = String(payload[payload.index(after: firstColon)..<lastColon])
        guard !deviceID.isEmpty else { return nil }
        return (DeviceToken(userID: userID, deviceID: deviceID, issuedAt: issuedAt), payload, signature)
    }
}
