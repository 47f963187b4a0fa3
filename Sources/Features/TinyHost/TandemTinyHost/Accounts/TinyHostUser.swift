package import Foundation

/// A TinyHost account: one email within one namespace.
package struct TinyHostUser: Sendable, Equatable {
    package let id: Int64
    package let namespace: String
    /// Trimmed and lower-cased; unique within `namespace`.
    package let email: String
    package let createdAt: Date
    /// `durable_object_name`: a random UUID string naming the user's store.
    package let storeName: String

    package init(id: Int64, namespace: String, email: String, createdAt: Date, storeName: String) {
        self.id = id
        self.namespace = namespace
        self.email = email
        self.createdAt = createdAt
        self.storeName = storeName
    }
}

/// A signed-in session. Its UUID is handed to the client once and never stored; storage keys
/// the session by the UUID's SHA-256.
package struct TinyHostSession: Sendable, Equatable {
    package let createdAt: Date
    package let expiresAt: Date
    /// Opaque data attached to the session; TinyHost's API always reports `null`.
    package let data: String?

    package init(createdAt: Date, expiresAt: Date, data: String? = nil) {
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.data = data
    }
}

/// ISO-8601 times as TinyHost writes them: UTC, milliseconds, `Z` (`2025-01-01T12:00:00.000Z`).
package enum TinyHostTime {
    private static let seconds = Date.ISO8601FormatStyle(timeZone: .gmt)

    /// `date` to the nearest millisecond.
    package static func string(_ date: Date) -> String {
        string(millis: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    /// Milliseconds since 1970 as text. The milliseconds are written from the integer, because a
    /// `Date` (a `Double`) holding `.123` may format as `.122`.
    package static func string(millis: Int64) -> String {
        let wholeSeconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let fraction = Int(millis - wholeSeconds * 1000)
        let text = Date(timeIntervalSince1970: Double(wholeSeconds)).formatted(seconds)
        let digits = String(fraction)
        return text.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// Milliseconds since 1970 (the stores' unit) as a date.
    package static func date(millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }
}
