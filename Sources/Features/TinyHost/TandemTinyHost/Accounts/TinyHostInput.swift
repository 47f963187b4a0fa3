import Foundation
import TandemConnection

/// Checks on what clients send.
enum TinyHostInput {
    /// Trimmed, lower-cased `local@domain.tld` (`EmailAddress.normalized`).
    static func email(_ raw: String?) throws(TinyHostError) -> String {
        guard let raw, !raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .missingField("email")
        }
        guard let email = EmailAddress.normalized(raw) else { throw .invalidEmail }
        return email
    }

    /// A password present and at most `policy.maxBytes` long; with `isNew`, at least `minLength`.
    static func password(_ raw: String?, _ policy: TinyHostPasswordPolicy, isNew: Bool) throws(TinyHostError)
        -> String
    {
        guard let raw else { throw .missingField("password") }
        guard raw.utf8.count <= policy.maxBytes else { throw .passwordTooLong(maximumBytes: policy.maxBytes) }
        if isNew {
            guard raw.count >= policy.minLength else { throw .passwordTooShort(minimum: policy.minLength) }
        } else if raw.isEmpty {
            throw .missingField("password")
        }
        return raw
    }
}
