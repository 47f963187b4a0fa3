import Foundation

/// The one check of an email address both account services use.
public enum EmailAddress {
    public static let maxLength = 254

    /// The address trimmed and lower-cased, if it has the form `local@domain.tld` and holds no
    /// spaces, control characters or the characters that could break out of a mail header or a
    /// display name (`<>,;"()[]\`); nil otherwise. An empty (or blank) input is nil too.
    public static func normalized(_ raw: String) -> String? {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !email.isEmpty, email.utf8.count <= maxLength,
            !email.unicodeScalars.contains(where: {
                $0.properties.isWhitespace || $0.value < 0x20 || $0 == "\u{7f}"
                    || "<>,;\"()[]\\".unicodeScalars.contains($0)
            })
        else { return nil }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), !parts[1].contains("..")
        else { return nil }
        return email
    }
}
