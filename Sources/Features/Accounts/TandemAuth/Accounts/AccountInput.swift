import Foundation
import TandemConnection

/// Checks on what clients send, with errors that name the parameter and the rule.
enum AccountInput {
    static let maxDeviceNameLength = 255
    static let maxPlatformLength = 50
    static let maxProjectKeyLength = 255

    /// A lower-cased address of the form `local@domain.tld` (`EmailAddress.normalized`): no
    /// spaces, control characters or angle brackets, which would let it break out of a mail header.
    static func email(_ raw: String?) throws(AccountError) -> String {
        guard let raw, !raw.isEmpty else { throw .missingParameter("email") }
        guard let email = EmailAddress.normalized(raw) else { throw .invalidEmail }
        return email
    }

    /// Printable text of at most `maxLength` characters, or `fallback` when absent or empty.
    static func text(_ raw: String?, _ name: String, maxLength: Int, fallback: String? = nil) throws(AccountError)
        -> String
    {
        guard let raw, !raw.isEmpty else {
            if let fallback { return fallback }
            throw .missingParameter(name)
        }
        guard raw.count <= maxLength, !raw.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\u{7f}" })
        else {
            throw .invalidParameter(name, rule: "at most \(maxLength) characters, no control characters")
        }
        return raw
    }
}

/// A device as a client describes it when it signs in.
package struct DeviceDescription: Sendable, Equatable {
    package let name: String
    package let platform: String

    /// Validates the client's values; each defaults when absent (`Unnamed device`, `unknown`).
    package init(name: String?, platform: String?) throws(AccountError) {
        self.name = try AccountInput.text(
            name, "deviceName", maxLength: AccountInput.maxDeviceNameLength, fallback: "Unnamed device")
        self.platform = try AccountInput.text(
            platform, "platform", maxLength: AccountInput.maxPlatformLength, fallback: "unknown")
    }
}
