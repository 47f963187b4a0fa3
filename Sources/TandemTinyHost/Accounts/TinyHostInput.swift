import Foundation

/// Checks on what clients send.
enum TinyHostInput {
    static let maxEmailLength = 254

    /// Trimmed, lower-cased `local@domain.tld` without spaces, control characters or brackets.
    static func email(_ raw: String?) throws(TinyHostError) -> String {
        guard let raw else { throw .missingField("email") }
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !email.isEmpty else { throw .missingField("email") }
        guard email.utf8.count <= maxEmailLength,
            !email.unicodeScalars.contains(where: {
                $0.properties.isWhitespace || $0.value < 0x20 || $0 == "\u{7f}"
                    || "<>,;\"()[]\\".unicodeScalars.contains($0)
            })
        else { throw .invalidEmail }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), !parts[1].contains("..")
        else { throw .invalidEmail }
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
